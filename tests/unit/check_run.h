/* The unit test programs' common end: run one suite, exit status 0 when all passed. */
#ifndef TG_CHECK_RUN_H
#define TG_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int tg_run_suite(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
