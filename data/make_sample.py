#!/usr/bin/env python3
"""Writes data/sample_movies.csv: synthetic films in the format of Kaggle's movies_metadata.csv.

Every film, title and overview here is invented; only the header line and the byte format
(24 columns, LF line ends, minimal quoting, False/True, ISO dates, Python-literal lists such
as [{'id': 16, 'name': 'Animation'}]) follow the real file.  Overviews are built from
genre-flavoured vocabulary so that a classifier trained on the sample learns something.

Quirks of the real data reproduced on purpose: empty overviews, "No overview found.",
[] genres, 2 duplicated ids (whole rows repeated), 2 overviews with embedded line breaks,
~10% non-English films with non-ASCII text, and one column-shifted row (an overview cut by
a line break: the row before it ends early, and the shifted row holds a date in `id` and
production companies in `genres`).

Deterministic: python3 data/make_sample.py [output]  (stdlib only).
"""
import csv
import os
import random
import sys

HEADER = ("adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,"
          "original_title,overview,popularity,poster_path,production_companies,"
          "production_countries,release_date,revenue,runtime,spoken_languages,status,tagline,"
          "title,video,vote_average,vote_count")

N_FILMS = 800
SEED = 20240517

GENRE_IDS = {
    "Action": 28, "Adventure": 12, "Animation": 16, "Comedy": 35, "Crime": 80,
    "Documentary": 99, "Drama": 18, "Family": 10751, "Fantasy": 14, "History": 36,
    "Horror": 27, "Music": 10402, "Mystery": 9648, "Romance": 10749,
    "Science Fiction": 878, "Thriller": 53, "War": 10752, "Western": 37,
}

# Per genre: who, what happens, where, a closing sentence, title words.
VOCAB = {
    "Horror": dict(
        who=["a grieving widow", "five college friends", "a night nurse", "a young family",
             "a skeptical priest", "two teenage sisters"],
        what=["is stalked by a masked killer", "awakens a vengeful ghost",
              "hears whispers from the cellar", "finds a cursed doll in the attic",
              "is hunted by something that feeds on fear", "summons a demon by mistake"],
        where=["in a haunted farmhouse", "deep in the dark woods", "in an abandoned asylum",
               "at a remote cabin", "in a town where the dead do not rest"],
        coda=["Soon the bodies begin to pile up.", "Every night the screams grow louder.",
              "Blood on the walls is only the beginning.", "Nobody survives the night alone."],
        title=["Haunting", "Cellar", "Bloodline", "Whispers", "Nightmare", "Ghost", "Curse"]),
    "Romance": dict(
        who=["a shy florist", "a widowed baker", "two rival wedding planners",
             "a famous pianist", "a small-town librarian"],
        what=["falls in love with a stranger", "meets the love of her life",
              "must choose between two suitors", "rekindles a romance with a first love",
              "plans a wedding that keeps falling apart"],
        where=["in Paris", "during one magical summer", "on a snowy Christmas Eve",
               "at a seaside village", "in a busy New York cafe"],
        coda=["Their hearts may never be the same.", "Love, it seems, has other plans.",
              "A kiss changes everything.", "Will they find the courage to say I do?"],
        title=["Love", "Kiss", "Wedding", "Heart", "Forever", "Valentine", "Promise"]),
    "Comedy": dict(
        who=["a hapless salesman", "two slacker roommates", "an uptight accountant",
             "a clumsy substitute teacher", "a family of eccentrics"],
        what=["fakes an engagement to win a bet", "accidentally becomes a viral celebrity",
              "swaps lives with his boss for a week", "throws the worst party in history",
              "tries to win back an ex with a ridiculous scheme"],
        where=["in the suburbs", "on a disastrous road trip", "at a chaotic family reunion",
               "during a hilarious office retreat"],
        coda=["Hilarity ensues.", "What could possibly go wrong?",
              "The jokes fly as fast as the mishaps.", "Chaos, pranks and pratfalls follow."],
        title=["Party", "Dude", "Mess", "Trouble", "Roommates", "Hangover", "Oops"]),
    "Action": dict(
        who=["an ex-special forces soldier", "a rogue cop", "a retired assassin",
             "a bodyguard", "an elite strike team"],
        what=["battles a ruthless terrorist cell", "fights his way through an army of mercenaries",
              "races to stop a bomb", "takes down a heavily armed gang",
              "leads a daring rescue mission"],
        where=["across the rooftops of Hong Kong", "on a speeding train",
               "inside a locked-down skyscraper", "through the streets of Los Angeles"],
        coda=["Explosions, car chases and gunfights follow.",
              "Only one of them will walk away.", "The clock is ticking.",
              "It is kill or be killed."],
        title=["Strike", "Impact", "Fury", "Firepower", "Showdown", "Takedown", "Vengeance"]),
    "Science Fiction": dict(
        who=["a starship crew", "a brilliant physicist", "an android", "a lone astronaut",
             "a colony of survivors"],
        what=["discovers an alien signal", "travels through a wormhole",
              "builds a machine that bends time", "fights off a robot uprising",
              "explores a distant planet"],
        where=["in the year 2300", "aboard a space station orbiting Mars",
               "on a terraformed moon", "in a dystopian future city"],
        coda=["Humanity's future hangs in the balance.", "The galaxy will never be the same.",
              "Beyond the stars lies a terrible secret.", "First contact changes everything."],
        title=["Orbit", "Nebula", "Android", "Singularity", "Galaxy", "Quantum", "Starfall"]),
    "Crime": dict(
        who=["a veteran detective", "a crooked lawyer", "a mob accountant",
             "a getaway driver", "a gang of bank robbers"],
        what=["plans one final heist", "investigates a string of murders",
              "turns informant against the mafia", "is framed for a crime he did not commit",
              "launders money for a drug cartel"],
        where=["in the underworld of Chicago", "on the mean streets of Boston",
               "in a corrupt police precinct", "in 1970s New York"],
        coda=["The police are closing in.", "Crime never pays, or does it?",
              "Trust no one in the family.", "The heist goes wrong from the first minute."],
        title=["Heist", "Mob", "Racket", "Precinct", "Score", "Cartel", "Alibi"]),
    "Drama": dict(
        who=["a struggling single mother", "an aging father", "a young nurse",
             "two estranged brothers", "a factory worker"],
        what=["confronts a painful past", "struggles to hold the family together",
              "faces a life-changing diagnosis", "searches for forgiveness",
              "fights for custody of her son"],
        where=["in a working-class town", "after the death of a parent",
               "over one difficult year", "in a quiet rural community"],
        coda=["A moving story of grief, hope and family.", "Some wounds never heal.",
              "It is a portrait of quiet courage.", "Life will never be simple again."],
        title=["Silence", "Home", "Mother", "Tides", "Distance", "Grace", "Winter"]),
    "Animation": dict(
        who=["a curious young fox", "a talking teapot", "a brave little robot",
             "a family of penguins", "a toy dinosaur"],
        what=["sets off to find the way home", "befriends a lonely dragon",
              "must save the enchanted forest", "learns to sing with new friends"],
        where=["in a colorful cartoon kingdom", "in a magical toy box",
               "under the sparkling sea"],
        coda=["An animated adventure for all ages.", "Friendship is the greatest magic.",
              "Songs, laughter and talking animals abound."],
        title=["Toys", "Critters", "Little", "Puffin", "Pip", "Sprout"]),
    "Family": dict(
        who=["a ten-year-old boy", "three siblings", "a kind grandmother", "a stray dog",
             "a young girl"],
        what=["learns the true meaning of Christmas", "saves the school talent show",
              "adopts a mischievous puppy", "helps the family through a tough summer"],
        where=["in a cozy small town", "during the holidays", "at summer camp"],
        coda=["A heartwarming tale for the whole family.", "Kids and parents will love it.",
              "Together, they are unstoppable."],
        title=["Puppy", "Holiday", "Kids", "Camp", "Grandma", "Buddies"]),
    "Fantasy": dict(
        who=["a young wizard", "an exiled elf princess", "a humble farm boy",
             "a cursed knight", "a sorceress"],
        what=["embarks on a quest for a magic sword", "must break an ancient spell",
              "battles a dark lord", "discovers a hidden realm of dragons"],
        where=["in a kingdom of myth and magic", "beyond the enchanted mountains",
               "in a land ruled by wizards"],
        coda=["Prophecy and sorcery collide.", "Only magic can save the realm.",
              "The legend of the dragon awakens."],
        title=["Realm", "Sword", "Dragon", "Sorcerer", "Enchanted", "Kingdom"]),
    "Thriller": dict(
        who=["a paranoid journalist", "a kidnapped heiress", "a psychiatrist",
             "an undercover agent", "a witness"],
        what=["uncovers a deadly conspiracy", "is trapped in a deadly game of cat and mouse",
              "receives anonymous threats", "must outwit a ruthless stalker"],
        where=["in a city full of secrets", "over one tense weekend", "inside a locked bunker"],
        coda=["Nothing is what it seems.", "Suspense builds to a shocking twist.",
              "Someone is always watching."],
        title=["Paranoia", "Conspiracy", "Trap", "Witness", "Pursuit", "Deadline"]),
    "Documentary": dict(
        who=["this documentary", "a filmmaker", "this film", "the director"],
        what=["explores the history of jazz", "follows climate scientists",
              "interviews survivors and historians", "examines the rise of social media",
              "investigates the global food industry"],
        where=["with rare archival footage", "through interviews and real footage",
               "across five continents"],
        coda=["A revealing look at the real story.", "The facts are stranger than fiction.",
              "An eye-opening documentary."],
        title=["Inside", "Truth", "Footage", "Untold", "Chronicle"]),
    "Western": dict(
        who=["a lone gunslinger", "a frontier sheriff", "a cattle rancher", "an outlaw"],
        what=["rides into a lawless town", "hunts the bandits who killed his brother",
              "defends the homestead from a ruthless land baron"],
        where=["on the dusty frontier", "in the Old West", "along the Rio Grande"],
        coda=["Justice comes at high noon.", "The saloon falls silent when he draws.",
              "Only the fastest gun survives."],
        title=["Outlaw", "Gunslinger", "Frontier", "Sheriff", "Saddle"]),
    "War": dict(
        who=["a platoon of young soldiers", "a wounded pilot", "a resistance fighter",
             "a battlefield medic"],
        what=["fights behind enemy lines", "survives the bloodiest battle of the war",
              "must hold the bridge at all costs"],
        where=["during World War II", "in the trenches of 1916", "in occupied France"],
        coda=["Courage is measured in blood.", "Not every soldier comes home.",
              "The battle will decide the war."],
        title=["Platoon", "Battalion", "Trenches", "Invasion", "Front"]),
    "Mystery": dict(
        who=["an amateur sleuth", "a retired inspector", "a curious novelist"],
        what=["tries to solve a locked-room murder", "follows a trail of cryptic clues",
              "investigates a disappearance"],
        where=["at an isolated country manor", "in a fog-bound village"],
        coda=["Every suspect has a secret.", "The answer lies in the smallest clue."],
        title=["Clue", "Riddle", "Enigma", "Manor", "Secret"]),
    "Music": dict(
        who=["a struggling rock band", "a young violinist", "a gospel choir", "a rapper"],
        what=["chases a record deal", "prepares for the concert of a lifetime",
              "finds a voice through songs"],
        where=["in the clubs of Nashville", "on a summer tour"],
        coda=["The music is everything.", "One song can change a life."],
        title=["Encore", "Rhythm", "Melody", "Backstage", "Anthem"]),
    "Adventure": dict(
        who=["a treasure hunter", "a daring explorer", "two young adventurers",
             "a shipwrecked crew"],
        what=["searches for a lost city of gold", "sails in search of a legendary island",
              "treks across the jungle to find a hidden temple"],
        where=["in the Amazon", "across the seven seas", "beyond the uncharted mountains"],
        coda=["The expedition is only the beginning.", "Adventure awaits at every turn."],
        title=["Expedition", "Treasure", "Voyage", "Quest", "Island"]),
    "History": dict(
        who=["a young queen", "a Roman general", "a medieval monk"],
        what=["rises to power in a time of upheaval", "defies the emperor"],
        where=["in sixteenth-century England", "in ancient Rome"],
        coda=["Based on true events.", "History remembers the brave."],
        title=["Empire", "Crown", "Dynasty", "Chronicles"]),
}

# Main genre weights (roughly like the real file, Drama and Comedy first).
MAIN_WEIGHTS = [
    ("Drama", 18), ("Comedy", 14), ("Horror", 9), ("Action", 9), ("Romance", 8),
    ("Thriller", 7), ("Science Fiction", 6), ("Crime", 6), ("Documentary", 4),
    ("Animation", 3), ("Fantasy", 3), ("Family", 3), ("Western", 2), ("War", 2),
    ("Adventure", 3), ("Mystery", 1), ("Music", 1), ("History", 1),
]
COMPANIONS = {
    "Drama": ["Romance", "Crime", "History", "War", "Music", "Family", "Comedy"],
    "Comedy": ["Romance", "Family", "Drama", "Crime"],
    "Horror": ["Thriller", "Mystery", "Science Fiction"],
    "Action": ["Thriller", "Crime", "Adventure", "Science Fiction"],
    "Romance": ["Drama", "Comedy"],
    "Thriller": ["Crime", "Mystery", "Drama"],
    "Science Fiction": ["Action", "Adventure", "Thriller"],
    "Crime": ["Drama", "Thriller", "Action"],
    "Documentary": ["Music", "History"],
    "Animation": ["Family", "Comedy", "Fantasy"],
    "Fantasy": ["Adventure", "Family", "Animation"],
    "Family": ["Comedy", "Animation", "Adventure"],
    "Western": ["Action", "Drama"],
    "War": ["Drama", "History", "Action"],
    "Adventure": ["Action", "Fantasy", "Family"],
    "Mystery": ["Thriller", "Crime"],
    "Music": ["Drama", "Documentary"],
    "History": ["Drama", "War"],
}
NEUTRAL = ["Years later, old secrets come to light.", "Nothing will ever be the same.",
           "Based on a novel.", "The journey changes them both.",
           "Along the way, friendships are tested."]

FIRST_NAMES = ["Ada", "Ben", "Clara", "Dev", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonah",
               "Kira", "Leo", "Maya", "Nico", "Olive", "Pavel", "Quinn", "Rosa", "Sam", "Tess"]

# Non-English films: (language, spoken name, country code, country, title words, places).
FOREIGN = [
    ("fr", "Français", "FR", "France", ["La Maison", "Le Secret", "Les Étoiles", "L'Été"],
     ["Montréal", "Besançon", "Orléans"]),
    ("es", "Español", "ES", "Spain", ["El Último", "La Noche", "Años de Sueño"],
     ["Cádiz", "Logroño", "Málaga"]),
    ("de", "Deutsch", "DE", "Germany", ["Die Brücke", "Der Fluß", "Grüße aus"],
     ["Zürich", "Köln", "München"]),
    ("ja", "日本語", "JP", "Japan", ["幽霊の家", "星の海", "東京の夜", "夏の恋"],
     ["Tōkyō", "Ōsaka"]),
    ("ko", "한국어", "KR", "South Korea", ["밤의 도시", "마지막 사랑"], ["Seoul", "Busan"]),
    ("it", "Italiano", "IT", "Italy", ["La Città", "Perché No"], ["Forlì", "Cantù"]),
    ("sv", "svenska", "SE", "Sweden", ["Mörkret", "Sommarnätter"], ["Malmö", "Göteborg"]),
    ("pt", "Português", "BR", "Brazil", ["Coração", "São Jorge"], ["São Paulo", "Belém"]),
]
FOREIGN_OVERVIEWS = {
    "fr": ["Une jeune femme découvre un terrible secret dans la maison de son enfance.",
           "À Paris, deux amis tombent amoureux pendant un été inoubliable."],
    "es": ["Un detective cansado investiga un crimen en las calles de Cádiz.",
           "Una familia lucha por sobrevivir después de la guerra."],
}

COMPANIES = ["Lantern Hill Pictures", "Blue Heron Films", "Quarry Road Productions",
             "Northlight Studios", "Copperfield Entertainment", "Paper Moon Features",
             "Harbor & Pine", "Glasshouse Media"]


def poster(rng):
    chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "/" + "".join(rng.choice(chars) for _ in range(27)) + ".jpg"


def pick_genres(rng):
    names = [g for g, _ in MAIN_WEIGHTS]
    weights = [w for _, w in MAIN_WEIGHTS]
    main = rng.choices(names, weights)[0]
    genres = [main]
    r = rng.random()
    if r < 0.55:
        genres.append(rng.choice(COMPANIONS[main]))
        if r < 0.12:
            second = genres[1]
            third = rng.choice(COMPANIONS.get(second, COMPANIONS[main]))
            if third not in genres:
                genres.append(third)
    return genres


def sentence_for(rng, genre, place=None):
    v = VOCAB[genre]
    who = rng.choice(v["who"])
    if rng.random() < 0.3 and not who.startswith("this") and not who.startswith("the "):
        who = rng.choice(FIRST_NAMES) + ", " + who + ","
    where = place and ("in " + place) or rng.choice(v["where"])
    return (who[0].upper() + who[1:] + " " + rng.choice(v["what"]) + " " + where + ".")


def overview_for(rng, genres, place=None):
    parts = [sentence_for(rng, genres[0], place)]
    n = rng.choice([1, 2, 2, 3])
    for i in range(1, n):
        g = genres[i % len(genres)]
        if rng.random() < 0.5:
            parts.append(rng.choice(VOCAB[g]["coda"]))
        elif rng.random() < 0.5:
            parts.append(sentence_for(rng, g))
        else:
            parts.append(rng.choice(NEUTRAL))
    return " ".join(parts)


def title_for(rng, genres):
    a = rng.choice(VOCAB[genres[0]]["title"])
    b = rng.choice(VOCAB[genres[-1]]["title"])
    form = rng.random()
    if form < 0.35 or a == b:
        return "The " + a
    if form < 0.6:
        return a + " of the " + b
    if form < 0.8:
        return a + " " + str(rng.randint(2, 4)) if rng.random() < 0.2 else a + " " + b
    return rng.choice(FIRST_NAMES) + "'s " + a


def pylist(items):
    return repr(items) if items else "[]"


def make_row(rng, film_id, genres, overview, lang_info=None):
    if lang_info:
        lang, spoken, cc, country, native_titles, _ = lang_info
        original_title = rng.choice(native_titles)
    else:
        lang, spoken, cc, country = "en", "English", "US", "United States of America"
        original_title = None
    title = title_for(rng, genres) if genres else rng.choice(["Untitled", "Reel Two", "Interlude"])
    if original_title is None:
        original_title = title
    year = rng.randint(1925, 2017)
    date = "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.01:
        date = ""
    budget = 0 if rng.random() < 0.6 else rng.randint(1, 150) * 500000
    revenue = 0 if budget == 0 or rng.random() < 0.3 else int(budget * rng.uniform(0.2, 6))
    collection = ""
    if rng.random() < 0.05:
        collection = repr({"id": rng.randint(1000, 500000), "name": title + " Collection",
                           "poster_path": poster(rng), "backdrop_path": poster(rng)})
    companies = [{"name": rng.choice(COMPANIES), "id": rng.randint(1, 90000)}]
    tagline = ""
    if rng.random() < 0.25:
        tagline = rng.choice(["Some secrets never die.", "One night. One chance.",
                              "Love, laughter and a little chaos.", "The legend begins.",
                              "Based on a true story."])
    return [
        "False", collection, str(budget), pylist([{"id": GENRE_IDS[g], "name": g} for g in genres]),
        "", str(film_id), "tt%07d" % rng.randint(10000, 7000000), lang, original_title,
        overview, "%.6f" % rng.uniform(0.0, 25.0), poster(rng), pylist(companies),
        pylist([{"iso_3166_1": cc, "name": country}]), date, str(revenue),
        "%.1f" % rng.randint(70, 150), pylist([{"iso_639_1": lang, "name": spoken}]),
        "Released", tagline, title, "False", "%.1f" % (rng.randint(20, 85) / 10),
        str(rng.randint(0, 3000)),
    ]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "sample_movies.csv")
    rng = random.Random(SEED)
    # ids: unique, with every last digit equally common (id % 10 picks the split)
    residues = [k % 10 for k in range(N_FILMS)]
    rng.shuffle(residues)
    ids = [b * 10 + r for b, r in zip(rng.sample(range(1, 47000), N_FILMS), residues)]
    rows = []
    for i, film_id in enumerate(ids):
        lang_info = FOREIGN[(i // 10) % len(FOREIGN)] if i % 10 == 3 else None
        if i % 100 == 7:                       # 8 films with [] genres
            genres = []
            overview = rng.choice(NEUTRAL) + " " + rng.choice(NEUTRAL)
        else:
            genres = pick_genres(rng)
            place = rng.choice(lang_info[5]) if lang_info and rng.random() < 0.7 else None
            overview = overview_for(rng, genres, place)
            if lang_info and lang_info[0] in FOREIGN_OVERVIEWS and rng.random() < 0.5:
                overview = rng.choice(FOREIGN_OVERVIEWS[lang_info[0]])
        if i % 130 == 11:                      # 7 empty overviews
            overview = ""
        elif i % 200 == 19:                    # 4 placeholders
            overview = "No overview found."
        elif i in (250, 611):                  # 2 embedded line breaks
            overview = overview + "\n\n" + rng.choice(NEUTRAL)
        rows.append(make_row(rng, film_id, genres, overview, lang_info))

    # The column shift: the film before is cut at its overview (later columns empty), the
    # shifted row starts with the overview's tail, so `id` holds the release date.
    cut = 400
    head = rows[cut]
    head[9] = "A night watchman guards a museum where the exhibits come alive"
    for k in range(10, 24):
        head[k] = ""
    tail = [" - Written by the Sample Maker", "0.065736", poster(rng),
            "[{'name': 'Lantern Hill Pictures', 'id': 11176}, "
            "{'name': 'Blue Heron Films', 'id': 11602}]",
            "[{'iso_3166_1': 'CA', 'name': 'Canada'}]", "1997-08-20", "0", "104.0",
            "[{'iso_639_1': 'en', 'name': 'English'}]", "Released", "", "Museum Night",
            "False", "6.0", "1"] + [""] * 9
    rows.insert(cut + 1, tail)

    # Two duplicated ids: whole rows repeated later, as in the real file.
    rows.insert(520, list(rows[100]))
    rows.insert(700, list(rows[300]))

    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        w = csv.writer(f, lineterminator="\n")
        for row in rows:
            assert len(row) == 24
            w.writerow(row)


if __name__ == "__main__":
    main()
