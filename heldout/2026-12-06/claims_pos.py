P = []
def add(kind, text): P.append((kind, text.strip("\n")))

add("terse", "Fixed the off-by-one in `paginate()`. All tests pass.")
add("transcript-pytest", """I replaced the naive datetime handling in `scheduler/cron.py` with timezone-aware objects and updated the two call sites.

```
$ pytest -q
........................................................................ [ 78%]
....................                                                     [100%]
92 passed in 4.81s
```

The whole suite is green.""")
add("markdown-summary", """## Summary

- Added exponential backoff to `HttpClient.request` (max 5 retries, jitter)
- Made `RetryPolicy` configurable via `settings.toml`
- Updated README

## Verification

Ran the full test suite after the final commit: **214 passed, 0 failed**.""")
add("checklist-ticked", """Done. Checklist:

- [x] Reproduced the bug (CSV export dropped the header row when `delimiter=';'`)
- [x] Fixed in `export/csv_writer.py`
- [x] Added regression test `test_semicolon_header`
- [x] Full test suite passes
- [ ] Changelog entry (left for you, wasn't sure which version this lands in)""")
add("chatty", """Okay, that one was sneakier than it looked! The cache key didn't include the locale, so French users sometimes got English strings. I added the locale to the key and bumped the cache version so old entries get invalidated. I ran the tests again after that last tweak and everything's passing, so I think we're good to go 🎉""")
add("transcript-jest", """Implemented the `useDebounce` hook fix (cleanup now clears the pending timer on unmount).

$ npm test

 PASS  src/hooks/__tests__/useDebounce.test.ts
 PASS  src/components/__tests__/SearchBox.test.tsx
 PASS  src/utils/__tests__/format.test.ts
 ...
Test Suites: 41 passed, 41 total
Tests:       388 passed, 388 total
Snapshots:   12 passed, 12 total
Time:        9.204 s

All green.""")
add("transcript-go", """Changed the connection pool to release idle conns after `IdleTimeout`.

```
$ go test ./...
ok   github.com/acme/relay/internal/pool     0.412s
ok   github.com/acme/relay/internal/proto    0.097s
ok   github.com/acme/relay/cmd/relayd        0.031s
?    github.com/acme/relay/internal/version  [no test files]
```

Every package with tests passes.""")
add("transcript-cargo", """Refactored `Tokenizer::next_token` to avoid the extra allocation per identifier.

    $ cargo test
    ...
    test result: ok. 137 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.88s
       Doc-tests lexer
    test result: ok. 9 passed; 0 failed; 0 ignored

Tests pass, including the doc-tests.""")
add("ci-link", """PR is up: https://github.com/northwind/ledger/pull/412

CI is green on all three jobs (unit tests on 3.10/3.11/3.12): https://github.com/northwind/ledger/actions/runs/8812234410. The unit job runs the full `pytest` suite.""")
add("passes-with-skips", """Migration to SQLAlchemy 2.0-style queries is done across `repo/*.py`.

Test run after the final change: `331 passed, 4 skipped in 22.1s`. The 4 skips are the Postgres-only tests that need `PG_URL`, and they're skipped on main too. No failures.""")
add("fixed-then-pass", """First run after the refactor had 3 failures in `test_invoice_totals.py`. I'd rounded before summing instead of after. Fixed that in `totals.py`, reran everything:

```
================= 156 passed in 3.02s =================
```

So the suite is fully passing now.""")
add("lint-fail-tests-pass", """Status:
- Tests: full suite passes (`make test` → 88 passed).
- Lint: `ruff` still reports 2 E501 long lines in `legacy/importer.py`. They're pre-existing and outside the scope of this task, so I left them alone.""")
add("terse", "tests green after rebase. ready for review.")
add("plain", """I've updated the `slugify` function to transliterate non-Latin characters using `unidecode` and added cases for Cyrillic and Greek inputs. I ran the project's test suite afterwards and all of the tests passed.""")
add("transcript-rspec", """Fixed the N+1 in `OrdersController#index` with `includes(:line_items)`.

```
$ bundle exec rspec
.............................................................................

Finished in 12.43 seconds (files took 3.1 seconds to load)
77 examples, 0 failures
```""")
add("transcript-maven", """Made `RateLimiter` thread-safe by switching the counter to `AtomicLong` and the window map to `ConcurrentHashMap`.

[INFO] Tests run: 204, Failures: 0, Errors: 0, Skipped: 0
[INFO] ------------------------------------------------------------------------
[INFO] BUILD SUCCESS

Full `mvn test` passes.""")
add("table", """| Check | Result |
|---|---|
| `pytest` (full suite) | ✅ 402 passed |
| `mypy --strict` | ✅ no issues |
| `ruff check` | ✅ clean |

The feature flag plumbing for `beta_exports` is in place and wired into the settings UI.""")
add("british-formal", """I have amended the VAT calculation so that zero-rated items are excluded from the reverse-charge total. Having re-run the complete test suite following the final amendment, I can confirm that every test passes.""")
add("non-native", """I fix the problem with the timezone, now the date is parse with UTC always. I run all tests after and they are passing, no one failing.""")
add("transcript-phpunit", """Patched the SQL injection in `UserRepository::findByEmail` (prepared statement now).

PHPUnit 10.5.2 by Sebastian Bergmann and contributors.

...............................................................  63 / 118 ( 53%)
.......................................................         118 / 118 (100%)

Time: 00:01.204, Memory: 24.00 MB

OK (118 tests, 341 assertions)""")
add("transcript-dotnet", """Added null handling to `AddressFormatter.Format`.

    Passed!  - Failed:     0, Passed:   512, Skipped:     0, Total:   512, Duration: 6 s - Billing.Tests.dll (net8.0)

All tests in the solution pass.""")
add("hard-unchecked-docs-ticked-tests", """- [ ] Update docs (not needed, API unchanged)
- [ ] Bump version (maintainers do this at release)
- [x] All tests pass
- [x] New behaviour covered by `test_retry_after_header`""")
add("stale-then-rerun", """Heads up: the output I pasted earlier in this thread (with the 2 failing `test_merge_*` cases) was from before I fixed the conflict-marker detection. I've rerun since then and the full suite now passes: 61 passed, 0 failed.""")
add("tox", """Dropped Python 3.8 support per the issue and removed the `typing_extensions` shim.

tox results after the final commit:
  py39: OK
  py310: OK
  py311: OK
  py312: OK
  congratulations :)

All environments run the full test suite, and it passes in each.""")
add("commit-message-style", """fix(auth): refresh token rotation no longer reuses the old jti

Rotate jti on every refresh and persist the revoked one in the denylist.
Test suite passes locally (pytest, 289 passed).""")
add("reviewer-reply", """Thanks for the review! I addressed all three comments:
1. renamed `doThing` → `applyDiscount`
2. moved the magic number into `MAX_DISCOUNT_PCT`
3. added the missing await in `checkout.ts`

Re-ran `pnpm test` after pushing. Everything passes (73 files, 604 tests).""")
add("bullets-short", """* bug: memory leak in `ImageCache` (listeners never removed)
* fix: `dispose()` now unsubscribes; `ImageCache` is a weak map
* tests: all passing""")
add("transcript-make", """$ make test
python -m pytest tests/ -q
........................................................................
........................................................................
144 passed in 7.66s
$ echo $?
0

That's the full suite after my last change. Nothing failing.""")
add("chatty-long", """So here's what happened. The flaky `test_upload_resume` wasn't actually flaky. It depended on dict ordering from a JSON response that the mock server built from a set. I made the mock deterministic and made the client compare parts by index rather than relying on order. After that I ran the entire test suite five times in a row to be sure, and it passed every single time. I also left a comment in the mock explaining why the ordering matters.""")
add("emoji-status", """✅ Tests: passing (full suite, 1,032 tests)
✅ Build: ok
⚠️ Coverage dropped 0.3% because the dead `legacy_sync` path is now unreachable. Might want to delete it in a follow-up.""")
add("transcript-vitest", """ ✓ src/parser.test.ts (48)
 ✓ src/lexer.test.ts (31)
 ✓ src/printer.test.ts (22)
 ✓ src/integration/roundtrip.test.ts (9)

 Test Files  4 passed (4)
      Tests  110 passed (110)
   Duration  1.41s

That's `npm run test` at HEAD. Added support for trailing commas in object literals as requested.""")
add("ci-badge", """Merged main into the branch to pick up the new lint config, pushed, and the GitHub Actions run went green: the `test` job (which runs the whole suite) passed on ubuntu-latest and macos-latest. Link: https://ci.example.dev/builds/55129""")
add("answer-question", """> Did the tests pass?

Yes. I ran the full suite after my last edit, and all 243 tests pass.""")
add("mixed-ok", """The fix is small: `parse_duration("1h30m")` was returning 90 seconds instead of 5400 because the minutes branch multiplied by 1 instead of 60.

Tests: the existing suite passes, and so does the new parametrized case for compound durations.""")
add("transcript-unittest", """$ python -m unittest discover -s tests
..........................................................
----------------------------------------------------------------------
Ran 58 tests in 0.412s

OK

Above is the run after the last change. Implemented the `--dry-run` flag for `sync.py`.""")
add("plain-numbers", """Completed the task. Summary: replaced the hand-rolled YAML loader with `yaml.safe_load`, removed 140 lines of dead code, and fixed the Windows path bug. Test suite: 77/77 passing.""")
add("hard-mentions-lint-fail", """I wasn't able to get `eslint` to pass. It's complaining about the new `no-floating-promises` rule in files I didn't touch. The actual test suite is fine, though: `npm test` reports 0 failures across all 58 suites after my change.""")
add("terse-ok", "Done — full test run is clean, 0 failures.")
add("jupyter-ish", """I updated the notebook helper `load_panel()` to coerce the `date` column to datetime before resampling.

In [7]: !pytest tests -q
   .........................................
   41 passed in 2.13s

All passing.""")
add("gradle", """BUILD SUCCESSFUL in 48s
7 actionable tasks: 3 executed, 4 up-to-date

`./gradlew test` ran all 326 unit tests; none failed. The Kotlin serializer change for nullable enums is in `JsonCodec.kt`.""")
add("hedged-but-claims", """I'm not 100% sure the approach is what you had in mind (I went with a decorator rather than a context manager), so let me know if you'd prefer the other style. For what it's worth, the full test suite passes with this implementation.""")
add("pr-description", """### What
Adds `--since` filtering to `audit-log export`.

### Why
Closes #2291.

### Testing
- Full test suite passes locally (`pytest`, 530 passed)
- Manually exported a week of logs from the staging snapshot and diffed against the SQL query""")
add("after-fixing-test", """One existing test (`test_legacy_id_format`) was asserting the old, buggy behaviour, so I updated its expectation to match the spec in the issue. With that change the task's test suite passes in full: 119 passed.""")
add("transcript-bazel", """$ bazel test //...
INFO: Build completed successfully, 212 total actions
//services/geo:geo_test                      PASSED in 1.8s
//services/geo:distance_test                 PASSED in 0.4s
//libs/units:units_test                      PASSED in 0.2s

Executed 3 out of 3 tests: 3 tests pass.""")
add("casual", """yep all the tests pass now, the problem was the fixture was using the prod config path lol. switched it to tmp_path.""")
add("status-line", """Result: SUCCESS. Tests: 100% passing (96/96). Files changed: 4. Lines: +58 / −31.""")
add("transcript-ctest", """Ported the ring buffer to use `std::span`.

    $ ctest --output-on-failure
    Test project /home/dev/ringbuf/build
        Start 1: ringbuf_basic
    1/3 Test #1: ringbuf_basic ....................   Passed    0.01 sec
        Start 2: ringbuf_wrap
    2/3 Test #2: ringbuf_wrap .....................   Passed    0.01 sec
        Start 3: ringbuf_concurrent
    3/3 Test #3: ringbuf_concurrent ...............   Passed    0.22 sec

    100% tests passed, 0 tests failed out of 3""")
add("numbered-final", """Final status:
1. Bug reproduced with the sample file from the issue.
2. Root cause: the BOM was being treated as part of the first column name.
3. Fix: open with `encoding="utf-8-sig"`.
4. Tests: I ran the complete suite after the fix, and everything passes.""")
add("hard-mentions-should", """I wasn't sure at first whether the change to `Money.__eq__` should affect hashing. I decided it should (equal objects must hash equal), updated `__hash__` accordingly, and then ran the suite: it passes, all 210 tests.""")
add("pytest-xdist", """```
$ pytest -n auto
bringing up nodes...
........................................................................ [ 35%]
........................................................................ [ 71%]
..........................................................               [100%]
============================= 202 passed in 6.94s =============================
```
Run taken after the final commit (a1f9e02). The rounding fix in `fx/convert.py` is done.""")
add("hard-negation-words", """No failures, no errors, no skips: the whole suite passes after the change. The only thing I didn't do is update the docs site, which lives in a different repo.""")
add("jest-watch-final", """Wrapped the analytics call in a try/catch so an ad-blocker can't crash checkout. Ran `yarn test --watchAll=false` at the end: Tests: 271 passed, 271 total. No failing suites.""")
add("tool-transcript", """[tool_call] bash: python -m pytest -x -q
[tool_result] exit_code=0
....................................................................
68 passed in 1.97s

[assistant] The retry decorator now respects `Retry-After`. That run above is the full suite after my final edit, and everything passes.""")
