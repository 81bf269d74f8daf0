-- Every standing budget row is spread over its months to the öre: nothing is lost to a key
-- without shares for its year or a unit with no valid month (the intake rejects both; this
-- guards the sum, not the rule).
select
    rader.load_id,
    rader.source_row,
    rader.belopp,
    coalesce(sum(manader.belopp), 0) as periodiserat
from {{ ref('int_budget_rader') }} as rader
left join {{ ref('int_budget_manad') }} as manader
    on rader.load_id = manader.load_id and rader.source_row = manader.source_row
group by rader.load_id, rader.source_row, rader.belopp
having coalesce(sum(manader.belopp), 0) <> rader.belopp
