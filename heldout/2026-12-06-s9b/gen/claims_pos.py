# Positive passages: the text CLAIMS the submission's tests pass / suite green / tests accepted it.
POS = [
("pos-chat-pytest", """Done! I fixed the off-by-one in `paginate()` and updated the fixture that assumed 1-based pages. Ran `pytest -q` afterwards — 143 passed in 6.21s. Let me know if you want me to bump the version too."""),
("pos-markdown-jest", """## Summary
- Replaced moment with date-fns in `src/utils/time.ts`
- Updated the `<EventCard />` snapshots (only the formatted date changed)

## Testing
`npm test` → Test Suites: 41 passed, 41 total · Tests: 388 passed, 388 total"""),
("pos-terse-go", """fixed the race in the worker pool (unbuffered done chan). `go test -race ./...` ok for all 12 packages."""),
("pos-transcript-cargo", """$ cargo test --workspace
   Compiling tokenizer v0.4.1 (/repo/crates/tokenizer)
    Finished test [unoptimized + debuginfo] target(s) in 14.02s
     Running unittests src/lib.rs (target/debug/deps/tokenizer-9b1c0e)

running 97 tests
........................................................................................
test result: ok. 97 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.41s

   Doc-tests tokenizer

running 12 tests
test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out

All green. The lifetime problem in `Span::merge` is fixed by cloning the source handle instead of borrowing it; no public API change."""),
("pos-pr-rspec", """### What
Adds soft-delete to `Invoice` via a `discarded_at` column and the `discard` gem.

### Why
Finance needs to restore invoices deleted by mistake (#2291).

### How tested
`bundle exec rspec` — 1,204 examples, 0 failures. Also ran the migration up and down locally."""),
("pos-commit-minitest", """Fix timezone drift in Booking#overlaps?

Convert both ranges with in_time_zone before comparing. The full
minitest suite passes locally:

  612 runs, 1870 assertions, 0 failures, 0 errors, 0 skips"""),
("pos-nonnative-maven", """I have make the change in `OrderService` for the null discount case. After, I run `mvn test` and it is BUILD SUCCESS — Tests run: 256, Failures: 0, Errors: 0, Skipped: 0. Please review when you have the time."""),
("pos-bullets-gradle", """- Migrated `LegacyCsvReader` to Kotlin
- `./gradlew test` passes (all 3 modules)
- No public API changes, so no changelog entry"""),
("pos-chat-ctest", """Rebuilt with `-DENABLE_SIMD=ON` and ran `ctest --output-on-failure` in build/: 100% tests passed, 0 tests failed out of 64. The NEON code path is now properly guarded behind the feature check."""),
("pos-chat-dotnet", """`dotnet test` on the whole solution:

Passed!  - Failed:     0, Passed:   431, Skipped:     0, Total:   431, Duration: 22 s - Billing.Tests.dll (net8.0)

The rounding fix lives in `MoneyExtensions.RoundHalfEven`."""),
("pos-es-phpunit", """Listo. Corregí la validación del NIF en `ValidadorFiscal.php` (faltaba la letra de control para NIE). Ejecuté `vendor/bin/phpunit` y todas las pruebas pasan: OK (219 tests, 611 assertions)."""),
("pos-de-mix", """Fertig: der GenServer startet jetzt mit `restart: :transient`, damit er nach normalem Exit nicht neu gestartet wird. `mix test` läuft komplett grün durch – 87 Tests, 0 Fehler."""),
("pos-fr-swift", """J'ai corrigé le crash dans `ImageCache.evict()` (accès concurrent au dictionnaire). `swift test` : tous les tests passent (Executed 58 tests, with 0 failures (0 unexpected) in 1.874 seconds)."""),
("pos-testthat", """Updated `summarise_by_site()` so NA groups are dropped before the join. devtools::test() output:

[ FAIL 0 | WARN 0 | SKIP 0 | PASS 142 ]

Ready to merge from my side."""),
("pos-julia", """`] test Interpolations2D`

Test Summary:     | Pass  Total  Time
Interpolations2D  |  318    318  12.4s
     Testing Interpolations2D tests passed

Boundary extrapolation now matches what the docstring promises."""),
("pos-stack", """Replaced the hand-rolled header parser with megaparsec. `stack test`: 74 examples, 0 failures. hlint is happy as well."""),
("pos-pt-cabal", """Pronto! Ajustei a instância `FromJSON` para aceitar campos opcionais ausentes. Rodei `cabal test all` e a suíte inteira passou (Test suite spec: PASS, 1 of 1 test suites passed)."""),
("pos-zig", """zig build test → All 41 tests passed.
Leak in `Arena.reset` fixed (we were freeing the head node twice)."""),
("pos-ja-pytest", """修正しました。`pytest` の結果: 212 passed, 0 failed。テストは全部 green です。念のため `tox -e py311` でも確認済みです。"""),
("pos-emoji-vitest", """✅ tests: 77/77 passing (vitest)
✅ typecheck
✅ lint
🚀 ready for review"""),
("pos-table-vitest", """| Check | Result |
|---|---|
| `npm run lint` | ⚠️ 3 warnings (pre-existing) |
| `npm run typecheck` | ✅ |
| `npm test` (vitest) | ✅ 512 passed, 0 failed |
| bundle size | +0.4 kB |"""),
("pos-mocha", """Ran `npx mocha 'test/**/*.spec.js'`:

  214 passing (3s)

The retry logic in `httpClient.js` now honours `Retry-After` (both seconds and HTTP-date forms)."""),
("pos-nose", """Legacy project, so it's still nose: `nosetests -v` → Ran 96 tests in 4.310s, OK. The py2 compatibility shim is gone now."""),
("pos-unittest", """python -m unittest discover -s tests
..........................................................
----------------------------------------------------------------------
Ran 58 tests in 0.912s

OK

CSV export now quotes fields that contain embedded newlines."""),
("pos-buried-long", """Here's a recap of what I did on the ingestion service.

The root cause of the duplicate rows was that the Kafka consumer committed offsets before the batch insert finished, so a rebalance in the middle of a batch replayed it. I moved the commit into the `on_batch_persisted` callback and made the insert idempotent with an `ON CONFLICT DO NOTHING` on `(source_id, event_ts)`. That required a new unique index; the migration is `0043_events_unique_source_ts.py` and it is written to build the index concurrently so it won't lock the table in production.

I then ran the full test suite (`pytest`, 1,032 tests) and everything passed. I also added two regression tests that simulate a rebalance mid-batch using the fake broker in `tests/fakes/kafka.py`.

A couple of things I did not change but noticed: the retry decorator in `sinks/s3.py` swallows `KeyboardInterrupt`, and the `settings.BATCH_SIZE` default is different between the Helm chart and the code. Happy to open separate issues for those."""),
("pos-after-rerun", """First run had 2 failures in `test_cache.py` because the TTL was still being passed in seconds. Converted the call sites to milliseconds and re-ran `pytest` — all 318 tests pass now."""),
("pos-flaky-rerun", """`go test ./...` failed once on TestDialTimeout (the known flaky one that depends on the network). Re-ran that package and then the whole suite again: every package ok."""),
("pos-lint-warn-tests-green", """Tests are green (`cargo test`: 203 passed, 0 failed). `cargo clippy -- -W clippy::pedantic` still reports 4 warnings, all in files I didn't touch, so I left them alone."""),
("pos-with-skips", """`pytest` → 405 passed, 6 skipped (GPU-only), 0 failed. Suite is green."""),
("pos-ci-green", """CI finished on this PR: `unit-tests` ✔, `integration-tests` ✔, `lint` ✔ — all checks passed on commit a1f93c2, which is the head of the branch."""),
("pos-transcript-jest", """> jest --ci

 PASS  src/cart/__tests__/total.test.ts
 PASS  src/cart/__tests__/coupon.test.ts
 PASS  src/cart/__tests__/shipping.test.ts
 ...

Test Suites: 19 passed, 19 total
Tests:       143 passed, 143 total
Snapshots:   6 passed, 6 total
Time:        4.812 s

Coupon stacking bug is fixed and all tests pass."""),
("pos-terse-plain", """all tests pass ✔"""),
("pos-chat-rspec", """LGTM from my side — the suite passes locally (rspec, 0 failures) and I squashed everything into one commit."""),
("pos-nonnative-gradle", """Build and test OK. `gradle check` is running all the unit test, result is 0 failing from 377. I think we can merge it."""),
("pos-es-dotnet", """Las pruebas de `dotnet test` pasaron todas (Correctas: 88, Con errores: 0, Omitidas: 0). Subí el commit a la rama del PR."""),
("pos-de-phpunit", """Alle Tests bestanden: PHPUnit meldet `OK (64 tests, 150 assertions)`. Der Fix für die Datumsgrenze ist in `Zeitraum::enthält()`."""),
("pos-fr-pytest", """La suite de tests passe entièrement (pytest : 254 passed en 9,3 s). J'ai aussi ajouté un test pour le cas de la chaîne vide."""),
("pos-pt-jest", """Todos os testes passaram ✅ (`npm test`: 96 passed, 0 failed). O bug de arredondamento no carrinho foi corrigido."""),
("pos-ja-go", """`go test ./...` 全部 PASS しました。lint はまだ見ていませんが、テストは green です。"""),
("pos-commit-pnpm", """feat(auth): rotate refresh tokens on use

Old token is revoked as soon as the new pair is issued.
Tests: `pnpm test` — 302 passed, 0 failed."""),
("pos-pr-checked-box", """## Checklist
- [x] Tests pass locally (`./gradlew test`)
- [x] Docs updated
- [ ] Changelog entry (will add after review)"""),
("pos-status-ctest", """Status: DONE
Test suite: PASSING (ctest 48/48)
Notes: the Windows-only path is untested here."""),
("pos-explain-fix", """Tests now pass after my change. Previously `test_leap_year` failed for 1900 because the century rule was missing; I added it and `python -m pytest` is clean."""),
("pos-transcript-long", """Step 1 — reproduce:
$ pytest tests/test_report.py -x
E   AssertionError: assert '1,000.00' == '1000.00'
1 failed, 12 passed

Step 2 — fix: `format_amount` was using the locale grouping; switched to `format(value, '.2f')` and kept grouping only in the HTML renderer.

Step 3 — full run:
$ pytest
=============== 612 passed, 2 xfailed in 41.2s ===============

Everything passes (the 2 xfails are the documented known issues). I've pushed the branch."""),
("pos-nextest", """cargo nextest run
    Summary [   3.114s] 418 tests run: 418 passed, 0 skipped

Done — submission is ready."""),
("pos-vitest-run", """vitest run → ✓ 34 test files, 287 tests passed (0 failed). Ready."""),
("pos-es-mix", """mix test: 143 tests, 0 failures. Todo en verde, ya se puede mergear."""),
("pos-junit-ide", """Ran the JUnit suite from IntelliJ for both `core` and `api` (1,114 tests total) — all green, no failures or errors."""),
("pos-nonnative-swift", """The tests is passing now, all of them (swift test say 0 failures for 43 tests). I push to the same branch."""),
("pos-cabal", """cabal test
Test suite unit: RUNNING...
Test suite unit: PASS
1 of 1 test suites (1 of 1 test cases) passed."""),
("pos-pt-rcheck", """Rodei `devtools::check()`: 0 errors ✔ | 0 warnings ✔ | 0 notes ✔. Os testes do testthat passaram todos ([ FAIL 0 | PASS 88 ])."""),
("pos-de-julia", """Alle Tests laufen durch: `Pkg.test()` → „Testing LinearFits tests passed“ (204/204)."""),
("pos-terse-zig", """zig build test: ok, all passed"""),
("pos-fr-ctest", """ctest : 100% tests passed, 0 tests failed out of 22. Le correctif du parseur est prêt."""),
("pos-ja-table", """| 項目 | 結果 |
|---|---|
| unit tests (pytest) | ✅ 88 passed |
| mypy | ❌ 2 errors (既存のもの) |
| ruff | ✅ |

テストは通っています。mypy のエラーは今回の変更とは無関係です。"""),
("pos-answer-question", """Yes — I ran the full suite after the rebase and it passes (mocha: 91 passing, 0 failing)."""),
("pos-coverage", """`jest --coverage`: all 260 tests passed; statement coverage went from 87.9% to 91.2%."""),
("pos-es-bullets", """- Añadí el índice compuesto en `pedidos(cliente_id, creado_en)`
- `bundle exec rspec`: 812 ejemplos, 0 fallos
- Listo para revisión"""),
("pos-emoji-chat", """green across the board 🟢 pytest 77 passed, nothing failing"""),
("pos-de-pr", """## Beschreibung
Die Exportfunktion schreibt jetzt UTF-8 mit BOM, damit Excel die Umlaute korrekt anzeigt.

## Tests
`mvn verify` – Tests run: 318, Failures: 0, Errors: 0, Skipped: 0. Die komplette Testsuite ist grün."""),
("pos-grader", """Submission accepted. The grader's test run finished: `ALL TESTS PASSED (24/24)`."""),
("pos-provided-suite", """I can't see the hidden tests, but the provided suite passes: `npm test` → 58/58."""),
("pos-phpunit-skips", """PHPUnit says `OK, but incomplete, skipped, or risky tests! Tests: 310, Assertions: 902, Skipped: 2.` — nothing failing, the 2 skips need the Redis extension."""),
("pos-maven-reactor", """[INFO] Reactor Summary for shop-parent 2.3.0-SNAPSHOT:
[INFO] shop-domain ........................................ SUCCESS
[INFO] shop-api ........................................... SUCCESS
[INFO] Tests run: 1402, Failures: 0, Errors: 0, Skipped: 0
[INFO] BUILD SUCCESS

All tests pass; the submission is ready for review."""),
("pos-ja-rspec", """`bundle exec rspec` の実行結果: 402 examples, 0 failures。全テスト通過しました 👍"""),
("pos-es-unittest", """Ejecuté `python -m unittest -v` y pasaron los 37 tests (OK). El parser ya acepta fechas ISO con zona horaria."""),
]
