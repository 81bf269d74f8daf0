-- The written analysis in force per period × level × org × avsnitt: the latest delivered text
-- (stg_inkorg__analys). The text is Markdown; the report renders it safely
-- (pipelines/lib/report/markdown.py), never as raw HTML.
with analys as (
    select * from {{ ref('stg_inkorg__analys') }}
),

leveranser as (
    select load_id, inlast_tid from {{ ref('stg_styrhjul__leveranser') }}
)

select
    analys.period,
    cast(left(analys.period, 4) as integer) as ar,
    analys.niva,
    analys.org,
    namn.org_namn,
    analys.avsnitt,
    analys.text,
    leveranser.inlast_tid as levererad,
    analys.source_file,
    analys.source_row
from analys
left join {{ ref('int_org_namn') }} as namn using (niva, org)
left join leveranser using (load_id)
