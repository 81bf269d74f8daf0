-- Per month and receiver: how many uppdrag are followed up, by status in force, and how many
-- are overdue (counted from marts.uppdrag, so the two marts cannot disagree).
select
    period,
    mottagare,
    any_value(mottagare_namn) as mottagare_namn,
    count(*) as antal,
    count(*) filter (where status = 'ej_rapporterad') as ej_rapporterade,
    count(*) filter (where status = 'ej_paborjat') as ej_paborjade,
    count(*) filter (where status = 'pagar') as pagaende,
    count(*) filter (where status = 'genomfort') as genomforda,
    count(*) filter (where status = 'avslutat_ej_genomfort') as avslutade_ej_genomforda,
    count(*) filter (where forsenad) as forsenade
from {{ ref('uppdrag') }}
group by period, mottagare
