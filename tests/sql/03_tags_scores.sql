.load ./tg
.headers on

-- tg_tags(text [, name]) is a JSON array of the genres whose probability reaches
-- that genre's threshold, best first.  The top genre is always in it.
-- Thresholds of 'genre': Horror 0.5, Romance 0.5, Comedy 0.6.
SELECT tg_tags('A ghost story') AS ghost,
       tg_tags('Love at the wedding') AS wedding,
       tg_tags('The haunted house') AS at_threshold;

-- tg_scores(text [, name]) is a JSON object of every genre's probability, best
-- first, with 4 decimals.  "A ghost story" has calibrated logits Horror 2.54,
-- Romance -1, Comedy 0: sigmoid gives 0.9269, 0.2689 and 0.5.
SELECT tg_scores('A ghost story') AS ghost;
SELECT tg_scores('funny funny love') AS funny;

-- Labels are escaped as JSON strings (the 'mood' model has a label with quotes).
SELECT tg_tags('ghost', 'mood') AS tags, tg_scores('ghost', 'mood') AS scores;

-- NULL and token-less texts give NULL.
SELECT tg_tags(NULL) IS NULL AS tags_null, tg_scores('a') IS NULL AS scores_no_tokens;

-- Both results carry the JSON subtype, so JSON functions nest them as JSON.
SELECT json_array(tg_tags('A ghost story')) AS nested,
       json_object('scores', tg_scores('ghost', 'mood')) AS object;
SELECT value AS tag FROM json_each(tg_tags('Love at the wedding'));
SELECT tg_scores('Love at the wedding') ->> '$.Comedy' AS comedy;
