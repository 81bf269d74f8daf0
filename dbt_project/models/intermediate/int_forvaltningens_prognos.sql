-- Förvaltningens helårsprognos in force per nämnd and month: the latest forecast delivered for
-- a period of the same year up to that month. A forecast stays in force until the next one, so
-- a nämnd that reported in August still shows its August forecast in October.
with prognoser as (
    select * from {{ ref('stg_inkorg__prognos') }}
),

final as (
    select
        prognoser.namnd,
        prognoser.ar,
        cast(manader.manad as integer) as manad,
        prognoser.prognos,
        prognoser.period as prognos_period
    from prognoser
    cross join range(1, 13) as manader (manad)
    where prognoser.manad <= manader.manad
    qualify row_number() over (
            partition by prognoser.namnd, prognoser.ar, manader.manad order by prognoser.period desc
        ) = 1
)

select * from final
