-- Intern kontroll: each nämnd's risks with riskvärde = sannolikhet × konsekvens (5×5 matrix),
-- the control's result and the same traffic lights as goals: rod from riskvärde 15, gul from 8
-- (configurable: intern_kontroll.gul_fran / rod_fran), gra when the risk is not assessed.
with risker as (
    select * from {{ ref('stg_inkorg__risk') }}
),

granser as (
    select
        coalesce({{ installning('intern_kontroll.gul_fran', 'integer') }}, 8) as gul_fran,
        coalesce({{ installning('intern_kontroll.rod_fran', 'integer') }}, 15) as rod_fran
)

select
    risker.namnd,
    risker.ar,
    risker.risk,
    risker.sannolikhet,
    risker.konsekvens,
    risker.sannolikhet * risker.konsekvens as riskvarde,
    'S' || risker.sannolikhet || 'K' || risker.konsekvens as matriscell,
    risker.kontrollmoment,
    risker.resultat,
    risker.atgard,
    risker.status,
    case
        when risker.sannolikhet is null or risker.konsekvens is null then 'gra'
        when risker.sannolikhet * risker.konsekvens >= granser.rod_fran then 'rod'
        when risker.sannolikhet * risker.konsekvens >= granser.gul_fran then 'gul'
        else 'gron'
    end as trafikljus,
    risker.source_file,
    risker.source_row
from risker
cross join granser
