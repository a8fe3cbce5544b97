//! The audit log's exports: CSV for spreadsheets, JSON lines for log tools.
//! Both carry the same columns; the console, the API and the CLI write them
//! with these functions.
//!
//! CSV (RFC 4180): a UTF-8 byte-order mark first (so spreadsheet programs
//! read names with accents as they are), a header row, CRLF line ends,
//! every cell quoted (a quote doubled inside). A cell that begins with
//! `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in front, as
//! OWASP advises against CSV (formula) injection: a spreadsheet then shows
//! the text instead of running it as a formula. Cells are never otherwise
//! changed. JSON lines: one object per event and line, `detail` as the
//! object it is stored as; values unchanged (no guard: log tools read data,
//! not formulas).

use crate::accounts::audit_log::AuditEntry;
use crate::platform::clock::UnixTime;

crate::platform::text_enum!(
    /// The file an export is written as.
    ExportFormat, "format", { Csv => "csv", Jsonl => "jsonl" }
);

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Jsonl => "application/jsonl; charset=utf-8",
        }
    }

    /// The entries in this format.
    pub fn write(self, entries: &[AuditEntry]) -> String {
        match self {
            ExportFormat::Csv => csv(entries),
            ExportFormat::Jsonl => jsonl(entries),
        }
    }
}

/// The columns, in order (CSV header; JSON keys).
pub const COLUMNS: [&str; 10] = [
    "time",
    "event",
    "actor",
    "actor_name",
    "user_id",
    "person",
    "ip",
    "user_agent",
    "detail",
    "id",
];

/// A time as RFC 3339 in UTC: `2026-12-05T14:05:09Z`.
pub fn rfc3339(t: UnixTime) -> String {
    time::OffsetDateTime::from_unix_timestamp(t.0)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.0.to_string())
}

fn values(entry: &AuditEntry) -> [String; 10] {
    let e = &entry.event;
    [
        rfc3339(e.at),
        e.event.clone(),
        e.actor.to_string(),
        entry.actor_name.clone().unwrap_or_default(),
        e.user_id
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_default(),
        entry.person.clone().unwrap_or_default(),
        e.ip.clone().unwrap_or_default(),
        e.user_agent.clone().unwrap_or_default(),
        e.detail.clone(),
        e.id.clone(),
    ]
}

/// One CSV cell: guarded against formulas, quoted.
pub fn csv_cell(value: &str) -> String {
    let guarded = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

fn csv_row(cells: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let mut row = cells
        .into_iter()
        .map(|c| csv_cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    row.push_str("\r\n");
    row
}

/// The entries as a CSV file.
pub fn csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_row(COLUMNS));
    for entry in entries {
        out.push_str(&csv_row(values(entry)));
    }
    out
}

/// One entry as a JSON object: the columns, `at` (seconds since 1970),
/// absent values as `null`, `detail` as the object it is stored as.
pub fn json(entry: &AuditEntry) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for (key, value) in COLUMNS.iter().zip(values(entry)) {
        object.insert((*key).to_owned(), value.into());
    }
    let e = &entry.event;
    let optional = |v: Option<String>| v.map_or(serde_json::Value::Null, Into::into);
    object.insert("at".into(), e.at.0.into());
    object.insert("actor_name".into(), optional(entry.actor_name.clone()));
    object.insert(
        "user_id".into(),
        optional(e.user_id.as_ref().map(|u| u.to_string())),
    );
    object.insert("person".into(), optional(entry.person.clone()));
    object.insert("ip".into(), optional(e.ip.clone()));
    object.insert("user_agent".into(), optional(e.user_agent.clone()));
    object.insert(
        "detail".into(),
        serde_json::from_str(&e.detail).unwrap_or_else(|_| e.detail.clone().into()),
    );
    serde_json::Value::Object(object)
}

/// The entries as JSON lines.
pub fn jsonl(entries: &[AuditEntry]) -> String {
    let mut out = String::new();
    for entry in entries {
        out.push_str(&json(entry).to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effects::audit::{Actor, AuditEvent, AuditKind};

    fn entry(detail: &str, person: Option<&str>) -> AuditEntry {
        AuditEntry {
            event: AuditEvent {
                id: "e-1".into(),
                tenant_id: Some("t".into()),
                user_id: Some("u-1".into()),
                actor: Actor::Admin("a-1".into()),
                event: AuditKind::FactorsReset.as_str().into(),
                ip: Some("192.0.2.7".into()),
                user_agent: None,
                detail: detail.into(),
                at: UnixTime(1_764_943_509),
            },
            kind: Some(AuditKind::FactorsReset),
            person: person.map(str::to_owned),
            actor_name: Some("root".into()),
        }
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for risky in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(risky).starts_with("\"'"), "{risky:?}");
        }
        assert_eq!(csv_cell("a=b"), "\"a=b\"");
        assert_eq!(csv_cell(""), "\"\"");
    }

    #[test]
    fn csv_and_json_lines_carry_the_same_columns() {
        let entries = [
            entry(r#"{"reason":"=1+1"}"#, Some("alice")),
            entry("{}", None),
        ];
        let csv = csv(&entries);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines.len(),
            4,
            "header, two rows, nothing after the last CRLF"
        );
        assert_eq!(
            lines[0],
            "\"time\",\"event\",\"actor\",\"actor_name\",\"user_id\",\"person\",\"ip\",\"user_agent\",\"detail\",\"id\""
        );
        assert_eq!(
            lines[1],
            "\"2025-12-05T14:05:09Z\",\"factors.reset\",\"admin:a-1\",\"root\",\"u-1\",\"alice\",\"192.0.2.7\",\"\",\"{\"\"reason\"\":\"\"=1+1\"\"}\",\"e-1\""
        );
        let jsonl = jsonl(&entries);
        let rows: Vec<serde_json::Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["detail"]["reason"], "=1+1", "unchanged in JSON");
        assert_eq!(rows[0]["time"], "2025-12-05T14:05:09Z");
        assert_eq!(rows[0]["at"], 1_764_943_509);
        assert_eq!(rows[1]["person"], serde_json::Value::Null);
        assert_eq!(rows[1]["user_agent"], serde_json::Value::Null);
        for column in COLUMNS {
            assert!(rows[0].get(column).is_some(), "{column}");
        }
    }
}
