.load ./tg
.headers on

-- reference: tg_text(title, overview [, name]) -> TEXT
-- tg_text(title, overview [, name]) is the text model `name` reads for a film.  The
-- fixture's 'titled' model (genre v1 trained with --inputs title,overview) reads the
-- title and the overview joined by ". ", exactly as tg-train joined them.
SELECT tg_text('Ghostbusters', 'A ghost story', 'titled') AS titled;
-- => titled
-- => Ghostbusters. A ghost story

-- Any other model reads the overview alone: the title is left out, so a film without
-- an overview has no text for it.
SELECT tg_text('Ghostbusters', 'A ghost story') AS genre,
       tg_text('Ghostbusters', 'A ghost story', 'mood') AS mood,
       tg_text('Ghostbusters', NULL) IS NULL AS no_overview;
-- => genre|mood|no_overview
-- => A ghost story|A ghost story|1

-- So one query serves every model: the title changes the answer only for the model
-- that learned from titles ("ghost" is a Horror word of the fixtures, "funny" Comedy).
SELECT tg_predict(tg_text('Ghost', 'A funny man', 'titled'), 'titled') AS titled,
       tg_predict(tg_text('Ghost', 'A funny man')) AS genre;
-- => titled|genre
-- => Horror|Comedy

-- A NULL or empty part is left out with its separator; nothing left gives NULL.
SELECT tg_text(NULL, 'A ghost story', 'titled') AS no_title,
       tg_text('Ghostbusters', NULL, 'titled') AS no_overview,
       tg_text('', 'A ghost story', 'titled') AS empty_title,
       tg_text(NULL, NULL, 'titled') IS NULL AS neither;
-- => no_title|no_overview|empty_title|neither
-- => A ghost story|Ghostbusters|A ghost story|1
SELECT tg_text('', '', 'titled') IS NULL AS titled, tg_text('', NULL, 'titled') IS NULL AS titled_null,
       tg_text('', '') IS NULL AS genre, tg_text('Ghostbusters', '') IS NULL AS genre_title_only;
-- => titled|titled_null|genre|genre_title_only
-- => 1|1|1|1

-- Numbers and blobs are read as their text, as by the other functions.
SELECT tg_text(1984, x'412067686f7374', 'titled') AS numbers_and_blobs;
-- => numbers_and_blobs
-- => 1984. A ghost

-- Its errors are the other functions' errors.
SELECT tg_text('Up', 'A house flies', 'nope');
-- => Runtime error: tg: no deployed model named 'nope': tg_models has no model of that name; train one with tg-train
SELECT tg_text('Up', 'A house flies', 42);
-- => Runtime error: tg: tg_text(): the model name must be text, not integer
SELECT tg_text('Up');
-- => Parse error: wrong number of arguments to function tg_text()
-- =>   SELECT tg_text('Up');
-- =>          ^--- error here
