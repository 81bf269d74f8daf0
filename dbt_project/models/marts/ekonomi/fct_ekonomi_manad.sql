-- The ekonomi fact as published: int_ekonomi_manad is where it is computed, so intermediate
-- models build on it without reading a mart.
select * from {{ ref('int_ekonomi_manad') }}  -- noqa: AM04
