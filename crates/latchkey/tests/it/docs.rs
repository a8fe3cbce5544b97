//! The security documents name real tests. docs/security/asvs.md maps every
//! requirement to the tests that prove it, docs/security/threat-model.md
//! names the tests behind each control (and model-checking.md the model
//! check's); both write a test as
//! `` `crates/…/file.rs`: `test_name`, `other_test` ``. This checks that every
//! such file exists and holds a test of that name (a `#[test]` or
//! `#[tokio::test]` function, or one named in an `on_both_backends!` list),
//! and that the ASVS table has no empty row and lists every gap at the end.
//! No server, no database: it reads files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The statuses a row of the ASVS table may have.
const STATUSES: [&str; 6] = [
    "tested",
    "partial",
    "by design",
    "not yet tested",
    "gap",
    "n/a",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|e| panic!("{relative} cannot be read: {e}"))
}

/// Every (file, test) a document names, as `` `path.rs`: `a`, `b` ``.
fn named_tests(doc: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find(".rs`: `") {
        let path_start = rest[..at].rfind('`').map_or(0, |i| i + 1);
        let path = rest[path_start..at + 3].to_owned();
        let mut tail = &rest[at + 6..];
        while let Some(after) = tail.strip_prefix('`') {
            let Some(end) = after.find('`') else { break };
            found.push((path.clone(), after[..end].to_owned()));
            tail = &after[end + 1..];
            match tail.strip_prefix(", ") {
                Some(more) if more.starts_with('`') => tail = more,
                _ => break,
            }
        }
        rest = tail;
    }
    found
}

/// Whether `source` holds a test function `name`.
fn has_test(source: &str, name: &str) -> bool {
    let lines: Vec<&str> = source.lines().collect();
    let signature = format!("fn {name}(");
    let attributed = lines.iter().enumerate().any(|(i, line)| {
        if !line.contains(&signature) {
            return false;
        }
        lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .take_while(|l| l.starts_with("#[") || l.starts_with("//"))
            .any(|l| l == "#[test]" || l.starts_with("#[tokio::test"))
    });
    let listed = source.split("on_both_backends!(").skip(1).any(|call| {
        call.split(')')
            .next()
            .unwrap_or_default()
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == name)
    });
    (attributed || listed) && source.contains(&signature)
}

/// The names that no test in its file answers to, as `path: name`.
fn missing(tests: &[(String, String)]) -> Vec<String> {
    let mut sources = BTreeMap::new();
    tests
        .iter()
        .filter(|(path, name)| {
            let source = sources
                .entry(path.clone())
                .or_insert_with(|| std::fs::read_to_string(root().join(path)).ok());
            !source.as_deref().is_some_and(|s| has_test(s, name))
        })
        .map(|(path, name)| format!("{path}: {name}"))
        .collect()
}

/// The requirement rows of the tables: the cells of each line whose first
/// cell is a requirement number such as `6.2.1` or `4.2.1.1 A`.
fn rows(doc: &str) -> Vec<Vec<String>> {
    doc.lines()
        .filter_map(|line| line.trim().strip_prefix('|')?.strip_suffix('|'))
        .map(|inner| {
            inner
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|cells| {
            cells.first().is_some_and(|id| {
                id.chars().next().is_some_and(|c| c.is_ascii_digit())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ' ')
            })
        })
        .collect()
}

#[test]
fn every_test_the_security_documents_name_exists() {
    let mut all = Vec::new();
    for doc in ["docs/security/asvs.md", "docs/security/threat-model.md"] {
        let tests = named_tests(&read(doc));
        assert!(tests.len() > 20, "{doc} names only {} tests", tests.len());
        all.extend(tests);
    }
    let model = named_tests(&read("docs/security/model-checking.md"));
    assert!(
        model.len() >= 6,
        "model-checking.md names only {}",
        model.len()
    );
    all.extend(model);
    let missing = missing(&all);
    assert!(
        missing.is_empty(),
        "named in docs/security but no such test:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_asvs_table_has_no_empty_row_and_lists_every_gap() {
    let doc = read("docs/security/asvs.md");
    let gaps_section = doc
        .split("\n## Gaps")
        .nth(1)
        .unwrap_or_else(|| panic!("asvs.md has no '## Gaps' section"));
    let rows = rows(&doc);
    assert!(rows.len() > 100, "only {} requirement rows", rows.len());
    let mut counted = vec![rows.len()];
    counted.extend(
        STATUSES
            .iter()
            .map(|s| rows.iter().filter(|r| r[3].trim_matches('*') == *s).count()),
    );
    let totals: Vec<usize> = doc
        .lines()
        .find_map(|l| l.strip_prefix("| **all** |"))
        .unwrap_or_else(|| panic!("asvs.md has no '| **all** |' totals row"))
        .split('|')
        .filter_map(|c| c.trim().trim_matches('*').parse().ok())
        .collect();
    assert_eq!(
        totals, counted,
        "the totals row (rows, then {STATUSES:?}) does not match the table"
    );
    let mut seen = BTreeSet::new();
    for cells in &rows {
        let id = &cells[0];
        assert_eq!(cells.len(), 6, "{id}: a row has six cells: {cells:?}");
        assert!(seen.insert(id.clone()), "{id} appears twice");
        for (cell, what) in
            cells
                .iter()
                .zip(["#", "level", "requirement", "status", "how", "tests"])
        {
            assert!(!cell.is_empty(), "{id}: the {what} cell is empty");
        }
        let status = cells[3].trim_matches('*');
        assert!(
            STATUSES.contains(&status),
            "{id}: unknown status {status:?}"
        );
        if matches!(status, "tested" | "partial") {
            assert!(
                !named_tests(&cells[5]).is_empty(),
                "{id} is {status} but names no test"
            );
        }
        if matches!(status, "partial" | "gap") {
            assert!(
                gaps_section.contains(&format!("`{id}`")),
                "{id} is {status} but not in the gaps at the end"
            );
        }
    }
}

#[test]
fn the_checker_sees_a_wrong_name() {
    let named = named_tests(
        "| x | `crates/latchkey/tests/it/docs.rs`: `the_checker_sees_a_wrong_name`, \
         `no_such_test`; `crates/nowhere.rs`: `x` |",
    );
    assert_eq!(named.len(), 3, "{named:?}");
    assert_eq!(
        missing(&named),
        [
            "crates/latchkey/tests/it/docs.rs: no_such_test",
            "crates/nowhere.rs: x"
        ]
    );
    // A helper that is not a test does not count.
    assert_eq!(
        missing(&[(
            "crates/latchkey/tests/it/docs.rs".into(),
            "named_tests".into()
        )])
        .len(),
        1
    );
}
