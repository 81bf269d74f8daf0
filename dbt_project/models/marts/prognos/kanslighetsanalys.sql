-- Published from the forecast's own table (written by Python, models/) under the contract below.
{{ publicera(source('prognos_ut', 'kanslighetsanalys')) }}
