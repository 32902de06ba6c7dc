.load ./tg
.headers on

-- reference: tg_tags(text [, name]) -> JSON array
-- tg_tags(text [, name]) is a JSON array of the genres whose probability reaches
-- that genre's threshold, best first.  The top genre is always in it.
-- Thresholds of 'genre': Horror 0.5, Romance 0.5, Comedy 0.6.
SELECT tg_tags('A ghost story') AS ghost,
       tg_tags('Love at the wedding') AS wedding,
       tg_tags('The haunted house') AS at_threshold;
-- => ghost|wedding|at_threshold
-- => ["Horror"]|["Romance","Comedy"]|["Horror","Romance"]

-- reference: tg_scores(text [, name]) -> JSON object
-- tg_scores(text [, name]) is a JSON object of every genre's probability, best
-- first, with 4 decimals.  "A ghost story" has calibrated logits Horror 2.54,
-- Romance -1, Comedy 0: sigmoid gives 0.9269, 0.2689 and 0.5.
SELECT tg_scores('A ghost story') AS ghost;
-- => ghost
-- => {"Horror":0.9269,"Comedy":0.5000,"Romance":0.2689}
SELECT tg_scores('funny funny love') AS funny;
-- => funny
-- => {"Comedy":0.9710,"Romance":0.8854,"Horror":0.3595}

-- Labels are escaped as JSON strings (the 'mood' model has a label with quotes).
SELECT tg_tags('ghost', 'mood') AS tags, tg_scores('ghost', 'mood') AS scores;
-- => tags|scores
-- => ["Dark","Light \"fun\""]|{"Dark":0.7808,"Light \"fun\"":0.5000}

-- NULL and token-less texts give NULL.
SELECT tg_tags(NULL) IS NULL AS tags_null, tg_scores('a') IS NULL AS scores_no_tokens;
-- => tags_null|scores_no_tokens
-- => 1|1

-- Both results carry the JSON subtype, so JSON functions nest them as JSON.
SELECT json_array(tg_tags('A ghost story')) AS nested,
       json_object('scores', tg_scores('ghost', 'mood')) AS object;
-- => nested|object
-- => [["Horror"]]|{"scores":{"Dark":0.7808,"Light \"fun\"":0.5000}}
SELECT value AS tag FROM json_each(tg_tags('Love at the wedding'));
-- => tag
-- => Romance
-- => Comedy
SELECT tg_scores('Love at the wedding') ->> '$.Comedy' AS comedy;
-- => comedy
-- => 0.9244
