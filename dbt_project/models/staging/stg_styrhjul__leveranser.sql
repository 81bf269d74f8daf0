with source as (
    select * from {{ source('raw', 'leveranser') }}
)

select load_id, run_id, source_file, file_sha256, filtyp, rader, teckenkodning, inlast_tid
from source
