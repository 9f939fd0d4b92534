/* Tests the JSON reader of sole-oci: a config.json-like document, string
 * escapes (\u with surrogate pairs), numbers, nesting, and malformed text. */
#include <string.h>

#include "check.h"
#include "json_reader.h"

static void check_document(void)
{
	char problem[128];
	const char *text = "{ \"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\", \"-c\", \"echo \\\"hi\\\"\"],"
	                   " \"terminal\": false, \"user\": {\"uid\": 1000, \"gid\": 0}},"
	                   " \"root\": {\"path\": \"rootfs\", \"readonly\": true}, \"none\": null,"
	                   " \"limit\": 2.5e8, \"neg\": -3, \"empty\": [], \"eo\": {} }";
	struct json_value *v = json_parse(text, problem, sizeof problem);
	CHECK(v && v->type == JSON_OBJECT);
	CHECK_STRING(json_string_member(v, "ociVersion"), "1.0.2");
	const struct json_value *process = json_member(v, "process");
	const struct json_value *args = json_member(process, "args");
	CHECK(args && args->type == JSON_ARRAY && args->count == 3);
	CHECK_STRING(args->items[2]->string, "echo \"hi\"");
	CHECK(json_member(process, "terminal")->type == JSON_BOOL && !json_member(process, "terminal")->boolean);
	CHECK(json_member(json_member(process, "user"), "uid")->number == 1000);
	CHECK(json_member(json_member(v, "root"), "readonly")->boolean);
	CHECK(json_member(v, "none")->type == JSON_NULL);
	CHECK(json_member(v, "limit")->number == 2.5e8);
	CHECK(json_member(v, "neg")->number == -3);
	CHECK(json_member(v, "empty")->count == 0 && json_member(v, "eo")->type == JSON_OBJECT);
	CHECK(json_member(v, "missing") == NULL && json_string_member(v, "neg") == NULL);
	json_free(v);
}

static void check_escapes(void)
{
	char problem[128];
	struct json_value *v = json_parse("\"a\\u00e9\\n\\t\\/\\ud83d\\ude00\"", problem, sizeof problem);
	CHECK(v && v->type == JSON_STRING);
	CHECK_STRING(v->string, "a\xc3\xa9\n\t/\xf0\x9f\x98\x80");
	json_free(v);
}

static void check_malformed(void)
{
	const char *bad[] = {"", "{", "[1,]", "{\"a\" 1}", "{1: 2}", "\"open", "[1] x", "tru", "\"\\q\"", "{\"a\":}",
	                     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]"
	                     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char problem[128] = "";
		struct json_value *v = json_parse(bad[i], problem, sizeof problem);
		CHECK(v == NULL && strstr(problem, "at byte"));
		json_free(v);
	}
}

int main(void)
{
	check_document();
	check_escapes();
	check_malformed();
	return check_summary("json_reader");
}
