# What the real-data checks share.  Sourced after tests/lib.sh.

# registry_test_figures DB: the deployed model's own test figures, as its registry row
# stores them, in quality.sql's format: films|P@1|micro-F1|macro-F1.
registry_test_figures() {
	sqlite3 -batch "$1" "SELECT json_extract(metrics,'\$.test.films'),
	  printf('%.6f', json_extract(metrics,'\$.test.p_at_1')), printf('%.6f', json_extract(metrics,'\$.test.micro_f1')),
	  printf('%.6f', json_extract(metrics,'\$.test.macro_f1')) FROM tg_models WHERE deployed"
}
