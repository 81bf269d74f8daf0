-- The income statement's net cost (the lines verksamhetens intäkter, kostnader and
-- avskrivningar) and the budget follow-up's (ingar_i_nettokostnad) must cover the same
-- kontogrupper, classes 3–7. Returns each kontogrupp where the seed's two mappings disagree.
select kontogrupp, kontoklass, resultatpost, ingar_i_nettokostnad
from {{ ref('kontogrupper') }}
where (resultatpost in ('verksamhetens_intakter', 'verksamhetens_kostnader', 'avskrivningar'))
    is distinct from coalesce(ingar_i_nettokostnad, false)
    or coalesce(ingar_i_nettokostnad, false) is distinct from (kontoklass between 3 and 7)
