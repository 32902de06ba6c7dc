/* The HTML report from synthetic inputs: charts present, hostile names escaped, nothing
** external referenced, atomic writes, errors on unwritable paths. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"
#include "report_html.h"
#include "svg_chart.h"
#include "check_run.h"

#define EVIL_GENRE "<script>alert('genre')</script>"
#define EVIL_LABEL "<script>alert(\"label\")</script>"
#define EVIL_LANG "<img src=x onerror=alert(1)>"
#define EVIL_RULE "<b onmouseover=alert(2)>rule</b>"

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tg_report_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	DIR *dir = opendir(tmpdir);
	if (!dir)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		if (rmdir(path) != 0)
			unlink(path);
	}
	closedir(dir);
	rmdir(tmpdir);
}

/* Number of entries in the temp dir (besides . and ..). */
static int count_entries(void)
{
	DIR *dir = opendir(tmpdir);
	ck_assert_ptr_nonnull(dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dir);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; *p; p++)
		if (strncasecmp(p, needle, n) == 0)
			return 1;
	return 0;
}

/* ---- synthetic inputs ---- */

static tg_name_count genres[] = { { "Drama", 400 }, { "Comedy", 300 }, { EVIL_GENRE, 50 }, { "Rare & odd", 3 } };
static tg_name_count langs[] = { { "en", 600 }, { "fr", 100 }, { EVIL_LANG, 5 }, { "", 2 } };

static tg_profile profile;
static tg_prepared prepared;
static tg_metrics validation, test;
static tg_ablation_entry ablation[4];
static char *label_names[3] = { "Drama", "Comedy", EVIL_LABEL };

static void fill_inputs(tg_report_input *in)
{
	memset(&profile, 0, sizeof profile);
	profile.films = 707;
	profile.malformed = 23;
	profile.rows = 730;
	for (int i = 0; i < TG_PROFILE_MAX_LINES; i++)
		profile.malformed_lines[i] = 10 * i + 5;
	profile.duplicate_ids = 2;
	profile.dup_ids[0] = 42;
	profile.dup_ids[1] = 7;
	profile.empty_overviews = 9;
	profile.placeholder_overviews = 4;
	profile.non_ascii_overviews = 30;
	profile.non_ascii_bytes = 120;
	profile.overview_bytes = 100000;
	tg_length_dist *ds[2] = { &profile.chars, &profile.tokens };
	for (int j = 0; j < 2; j++) {
		ds[j]->n = 694;
		ds[j]->bin_width = j ? 10 : 100;
		for (int k = 0; k < TG_P_COUNT; k++)
			ds[j]->pct[k] = (size_t)(k + 1) * ds[j]->bin_width;
		ds[j]->pct[TG_P_MAX] = 50 * ds[j]->bin_width;   /* last bin open */
		for (int b = 0; b < TG_PROFILE_BINS; b++)
			ds[j]->bins[b] = (size_t)(b * 7 % 11) * 10;
	}
	profile.languages = langs;
	profile.n_languages = 4;
	profile.genres = genres;
	profile.n_genres = 4;
	size_t gpf[] = { 12, 300, 250, 100, 30, 15 };
	memcpy(profile.genres_per_film, gpf, sizeof gpf);

	memset(&prepared, 0, sizeof prepared);
	prepared.n_labels = 3;
	for (int k = 0; k < 3; k++) {
		prepared.labels[k] = label_names[k];
		prepared.label_rows[k] = 100 - (size_t)k;
	}
	prepared.genre_names_seen = 4;
	for (int s = 0; s < 3; s++)
		for (int r = 0; r <= TG_RULE_COUNT; r++)
			prepared.funnel[s][r] = r == TG_RULE_KEPT ? 500u / (s + 1) : (size_t)(r + s);

	tg_metrics *ms[2] = { &validation, &test };
	for (int j = 0; j < 2; j++) {
		tg_metrics *m = ms[j];
		memset(m, 0, sizeof *m);
		m->n = 80 + (size_t)j;
		m->micro_precision = 0.5;
		m->micro_recall = 0.6;
		m->micro_f1 = 0.55 - 0.01 * j;
		m->macro_f1 = 0.42;
		m->p_at_1 = 0.7;
		m->micro_f1_95 = (tg_interval){ 0.431, 0.652 };
		m->p_at_1_95 = (tg_interval){ 0.612, 0.788 };
		m->n_labels = 3;
		for (uint32_t k = 0; k < 3; k++) {
			m->label[k] = (tg_label_metrics){ .tp = 10, .fp = 5, .fn = 3, .support = 13,
				                          .precision = 0.2 + 0.3 * k, .recall = 0.9 - 0.3 * k,
				                          .f1 = 0.4 + 0.1 * k };
		}
	}
	ablation[0] = (tg_ablation_entry){ "placeholder", 29, 0.587, 0.580 };
	ablation[1] = (tg_ablation_entry){ "too-short", 2, 0.587, 0.589 };
	ablation[2] = (tg_ablation_entry){ "too-long", 0, 0.587, 0.587 };
	ablation[3] = (tg_ablation_entry){ EVIL_RULE, 7, 0.587, 0.600 };

	memset(in, 0, sizeof *in);
	in->source = "/data/<evil>&\"movies\".csv";
	in->model_name = "<script>alert('model')</script>";
	in->model_id = 12;
	in->data_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	in->created_at = "2024-11-27 10:00:00";
	in->profile = &profile;
	in->prepared = &prepared;
	in->validation = &validation;
	in->test = &test;
	in->ablation = ablation;
	in->n_ablation = 4;
	in->blob_bytes = 123456;
	in->train_seconds = 1.5;
}

static char *write_report(const tg_report_input *in, const char *name, int keep_copy)
{
	char path[256], err[256] = "";
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	ck_assert_msg(tg_report_write_html(path, in, err, sizeof err) == 0, "%s", err);
	char *html = slurp(path);
	const char *keep = getenv("TG_REPORT_KEEP");   /* copy for tests/report/render.sh */
	if (keep_copy && keep && *keep) {
		FILE *f = fopen(keep, "w");
		if (f) {
			fputs(html, f);
			fclose(f);
		}
	}
	return html;
}

START_TEST(test_full_report)
{
	make_tmpdir();
	tg_report_input in;
	fill_inputs(&in);
	char *html = write_report(&in, "report.html", 1);
	ck_assert_int_eq(count_entries(), 1);   /* no temp file left */

	ck_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	ck_assert_ptr_nonnull(strstr(html, "</html>"));
	/* every chart */
	const char *charts[] = { "aria-label=\"Overview length in characters\"",
		                 "aria-label=\"Overview length in tokens\"",
		                 "aria-label=\"Films per genre\"",
		                 "aria-label=\"Films by number of genres\"",
		                 "aria-label=\"Films per original language\"",
		                 "aria-label=\"Films removed by each rule, per split\"",
		                 "aria-label=\"Precision, recall and F1 per genre on the test split\"",
		                 "aria-label=\"Validation micro-F1 gained by each cleanup rule\"" };
	for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
		ck_assert_msg(strstr(html, charts[i]) != NULL, "missing %s", charts[i]);
	ck_assert_uint_eq(count_of(html, "<svg"), sizeof charts / sizeof *charts);
	ck_assert_uint_eq(count_of(html, "<svg"), count_of(html, "</svg>"));

	/* headline numbers */
	ck_assert_ptr_nonnull(strstr(html, "0.540"));   /* test micro-F1 */
	ck_assert_ptr_nonnull(strstr(html, "0.550"));   /* validation micro-F1 */
	ck_assert_ptr_nonnull(strstr(html, "0.420"));   /* macro-F1 */
	ck_assert_ptr_nonnull(strstr(html, "0.700"));   /* P@1 */
	/* the test split's bootstrap intervals, P@1's in percent */
	ck_assert_ptr_nonnull(strstr(html, "of those 81 films (the bootstrap), micro-F1 lies between 0.431 and 0.652 "
	                                   "and P@1 between 61.2% and 78.8%."));

	/* hostile strings only ever appear escaped */
	ck_assert(!contains_ci(html, "<script"));
	ck_assert(!contains_ci(html, "<img"));
	ck_assert(!contains_ci(html, "<b "));
	ck_assert(!contains_ci(html, "<evil"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(&#39;genre&#39;)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(&quot;label&quot;)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;b onmouseover=alert(2)&gt;rule&lt;/b&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "/data/&lt;evil&gt;&amp;&quot;movies&quot;.csv"));
	ck_assert_ptr_nonnull(strstr(html, "Rare &amp; odd"));

	/* self-contained: no URL, no external resource */
	const char *p = html;
	while ((p = strstr(p, "http")) != NULL) {
		ck_assert_msg(strncmp(p, "http://www.w3.org/2000/svg", 26) == 0, "external reference: %.40s", p);
		p += 4;
	}
	ck_assert(!contains_ci(html, "src=\"") && !contains_ci(html, "src='"));   /* data never makes a quote */
	ck_assert(!contains_ci(html, "href=\"") && !contains_ci(html, "href='"));
	ck_assert(!contains_ci(html, "url("));
	ck_assert(!contains_ci(html, "@import"));
	ck_assert(!contains_ci(html, "<link"));
	/* no NaN or negative size reached the SVG */
	ck_assert(!contains_ci(html, "=\"nan") && !contains_ci(html, "=\"-nan"));
	ck_assert(!contains_ci(html, "=\"inf") && !contains_ci(html, "=\"-inf"));
	ck_assert_ptr_null(strstr(html, "width=\"-"));
	ck_assert_ptr_null(strstr(html, "height=\"-"));

	/* malformed lines listed, the rest counted */
	ck_assert_ptr_nonnull(strstr(html, "5, 15, 25"));
	ck_assert_ptr_nonnull(strstr(html, "and 3 more"));
	free(html);
	remove_tmpdir();
}
END_TEST

START_TEST(test_replace_existing)
{
	make_tmpdir();
	tg_report_input in;
	fill_inputs(&in);
	char path[256];
	snprintf(path, sizeof path, "%s/r.html", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("old contents", f);
	fclose(f);
	char *html = write_report(&in, "r.html", 0);
	ck_assert_ptr_null(strstr(html, "old contents"));
	ck_assert_int_eq(count_entries(), 1);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	free(html);
	remove_tmpdir();
}
END_TEST

START_TEST(test_sections_missing)
{
	make_tmpdir();
	tg_report_input in;
	fill_inputs(&in);
	in.profile = NULL;
	in.prepared = NULL;
	in.validation = NULL;
	in.test = NULL;
	in.ablation = NULL;
	in.n_ablation = 0;
	in.model_name = NULL;
	in.source = NULL;
	in.data_sha256 = NULL;
	in.created_at = NULL;
	char *html = write_report(&in, "bare.html", 0);
	ck_assert_ptr_nonnull(strstr(html, "</html>"));
	ck_assert_ptr_nonnull(strstr(html, "No ablation was run"));
	ck_assert_ptr_null(strstr(html, "<svg"));
	free(html);

	/* metrics but no prepared labels: per-genre chart names the labels by number */
	fill_inputs(&in);
	in.prepared = NULL;
	in.n_ablation = 0;
	html = write_report(&in, "nolabels.html", 0);
	ck_assert_ptr_nonnull(strstr(html, "label 2"));
	ck_assert_ptr_nonnull(strstr(html, "aria-label=\"Precision, recall and F1 per genre on the test split\""));
	ck_assert_ptr_null(strstr(html, "aria-label=\"Films removed by each rule, per split\""));
	free(html);
	remove_tmpdir();
}
END_TEST

START_TEST(test_errors)
{
	make_tmpdir();
	tg_report_input in;
	fill_inputs(&in);
	char path[256], err[256];

	/* a directory */
	err[0] = '\0';
	ck_assert_int_eq(tg_report_write_html(tmpdir, &in, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "directory"));

	/* a missing directory */
	snprintf(path, sizeof path, "%s/missing/r.html", tmpdir);
	err[0] = '\0';
	ck_assert_int_eq(tg_report_write_html(path, &in, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, path));

	/* a file where a directory should be */
	snprintf(path, sizeof path, "%s/plain", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	snprintf(path, sizeof path, "%s/plain/r.html", tmpdir);
	ck_assert_int_eq(tg_report_write_html(path, &in, err, sizeof err), -1);

	/* an empty path */
	ck_assert_int_eq(tg_report_write_html("", &in, err, sizeof err), -1);

	/* a read-only directory (root ignores the mode: only checked when it applies) */
	char ro[128];
	snprintf(ro, sizeof ro, "%s/ro", tmpdir);
	ck_assert_int_eq(mkdir(ro, 0500), 0);
	snprintf(path, sizeof path, "%s/r.html", ro);
	if (access(ro, W_OK) != 0) {
		err[0] = '\0';
		ck_assert_int_eq(tg_report_write_html(path, &in, err, sizeof err), -1);
		ck_assert(err[0] != '\0');
	}
	chmod(ro, 0700);

	ck_assert_int_eq(count_entries(), 2);   /* plain and ro: no temp files */
	remove_tmpdir();
}
END_TEST

START_TEST(test_many_genres)
{
	/* a query source can have any number of genre names: the chart keeps 40 bars */
	make_tmpdir();
	tg_report_input in;
	fill_inputs(&in);
	static tg_name_count many[100];
	static char names[100][16];
	for (int i = 0; i < 100; i++) {
		snprintf(names[i], sizeof names[i], "g%03d", i);
		many[i] = (tg_name_count){ names[i], (size_t)(200 - i) };
	}
	profile.genres = many;
	profile.n_genres = 100;
	char *html = write_report(&in, "many.html", 0);
	ck_assert_ptr_nonnull(strstr(html, ">g038<"));
	ck_assert_ptr_null(strstr(html, ">g039<"));
	ck_assert_ptr_nonnull(strstr(html, ">61 other genres<"));
	free(html);
	remove_tmpdir();
}
END_TEST

static char *escaped(const char *s, size_t max_cp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	if (max_cp)
		tg_html_escape_cut(f, s, max_cp);
	else
		tg_html_escape(f, s);
	fclose(f);
	return buf;
}

START_TEST(test_escape)
{
	char *s = escaped("<a href='x'>&\"", 0);
	ck_assert_str_eq(s, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
	free(s);
	s = escaped("a\x01" "b\x7f" "c\td", 0);
	ck_assert_str_eq(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\td");
	free(s);
	s = escaped("caf\xC3\xA9", 0);
	ck_assert_str_eq(s, "caf\xC3\xA9");
	free(s);
	s = escaped("Science Fiction", 8);
	ck_assert_str_eq(s, "Science\xE2\x80\xA6");
	free(s);
	s = escaped("\xC3\xA9\xC3\xA9\xC3\xA9<", 3);   /* cut on a code point boundary */
	ck_assert_str_eq(s, "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
	free(s);
	s = escaped("short", 8);
	ck_assert_str_eq(s, "short");
	free(s);
	s = escaped(NULL, 0);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_full_report);
	tcase_add_test(tc, test_replace_existing);
	tcase_add_test(tc, test_sections_missing);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_many_genres);
	tcase_add_test(tc, test_escape);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tg_run_suite(report_suite());
}
