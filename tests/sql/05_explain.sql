.load ./tg
.headers on

-- reference: tg_explain(text, genre [, name]) -> JSON array
-- tg_explain(text, genre [, name]) lists at most 10 features (words and word pairs
-- of the text that the model knows) with their contribution to the genre's
-- calibrated logit, largest first by absolute value.  Repeated features add up:
-- "ghost" twice, with norm 1 each, contributes 2 * 2.54 / sqrt(2) = 3.5921.
SELECT tg_explain('A ghost story about a ghost', 'Horror') AS explanation;
-- => explanation
-- => [{"feature":"ghost","contribution":3.5929}]

-- A feature shows as it first appears in the text; negative contributions count
-- against the genre; features with no weight for the genre are left out.
SELECT tg_explain('Love at the wedding', 'Comedy') AS comedy;
-- => comedy
-- => [{"feature":"wedding","contribution":1.7964},{"feature":"Love","contribution":0.7073}]
SELECT tg_explain('Love at the wedding', 'Horror') AS horror;
-- => horror
-- => [{"feature":"Love","contribution":-0.7073}]

-- A bigram shows the text from its first word to its second.
SELECT tg_explain('The Haunted  House', 'Horror') AS bigram;
-- => bigram
-- => [{"feature":"Haunted  House","contribution":2.5405}]

-- The contributions plus the genre's calibrated bias (platt_a * bias + platt_b, 0
-- for Comedy here) add up to its logit, log(p / (1 - p)):
SELECT round((SELECT sum(value ->> '$.contribution')
                FROM json_each(tg_explain('funny funny love', 'Comedy'))), 2) AS sum_of_contributions,
       round(ln(p / (1 - p)), 2) AS logit
  FROM (SELECT tg_scores('funny funny love') ->> '$.Comedy' AS p);
-- => sum_of_contributions|logit
-- => 3.51|3.51

-- No known feature: an empty list.  NULL or no tokens: NULL.
SELECT tg_explain('Nothing known here', 'Horror') AS no_known_feature,
       tg_explain(NULL, 'Horror') IS NULL AS null_text;
-- => no_known_feature|null_text
-- => []|1

-- The genre must be one of the model's.
SELECT tg_explain('A ghost story', 'Western');
-- => Runtime error: tg: model 'genre' has no genre 'Western'
SELECT tg_explain('A ghost story', NULL);
-- => Runtime error: tg: tg_explain(): the genre must be text, not null
SELECT tg_explain('A ghost story', 'Dark', 'mood') AS other_model;
-- => other_model
-- => [{"feature":"ghost","contribution":1.2703}]

-- At most 10 features are listed: the 'wide' model knows w1 .. w12, weighing
-- (-1)^i * i / 10 for genre A, so w12 leads and w1, w2 are left out.
SELECT json_array_length(tg_explain('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12', 'A', 'wide')) AS listed,
       tg_explain('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12', 'A', 'wide') ->> '$[0].feature' AS first,
       tg_explain('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12', 'A', 'wide') ->> '$[9].feature' AS last;
-- => listed|first|last
-- => 10|w12|w3
