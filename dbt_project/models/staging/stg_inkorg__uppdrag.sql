-- Uppdrag given by KF, KS or a nämnd: the latest delivery of an id replaces the earlier one
-- (a changed deadline or receiver is a new delivery of the same id).
with source as (
    select * from {{ source('raw', 'uppdrag') }}
),

renamed as (
    select
        trim(id) as id,
        ar,
        trim(givet_av) as givet_av,
        trim(mottagare) as mottagare,
        titel,
        beslutsdatum,
        klart_senast,
        source_file,
        source_row,
        load_id
    from source
    {{ senaste_rad(['trim(id)']) }}
)

select * from renamed
