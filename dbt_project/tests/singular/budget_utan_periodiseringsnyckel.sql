-- Every budget row must be periodised: a nyckel without shares for its year (neither delivered
-- in a periodisering_ file nor a standard key) would drop the row from the monthly budget.
-- Returns the budget rows that would be lost, with their file and row.
select budget.ar, budget.nyckel, budget.source_file, budget.source_row
from {{ ref('stg_inkorg__budget') }} as budget
where budget.nyckel is not null
    and not exists (
        select 1 from {{ ref('int_periodiseringsnycklar') }} as nycklar
        where nycklar.ar = budget.ar and nycklar.nyckel = budget.nyckel
    )
