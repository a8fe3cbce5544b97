//! Import structure of core: no circle of files spans two domains (issue
//! 12; style.md: "a circle of imports across domains is a design smell").
//!
//! Reads every file under `src`, takes each `crate::` path (in `use` trees,
//! and written out in code), resolves it to the file of the module it names
//! (following `pub use` re-exports, so `crate::store::UserStore` leads to
//! the file that declares the trait), and looks for strongly connected
//! components of that graph holding files of more than one domain. A domain
//! is a folder under `src`; a file directly under `src` is one of its own;
//! `lib.rs` (which declares every module) is left out. Not read: test
//! modules (`#[cfg(test)] mod …` to the end of a file: tests may reach
//! anywhere), `super::` paths (they stay inside a domain), macros' `$crate`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn no_circle_of_files_spans_two_domains() {
    let mut files = BTreeMap::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    read_dir(&src, &src, &mut files);
    let graph = Graph::new(&files);
    let mut report = vec![];
    for component in graph.components() {
        let domains: BTreeSet<&str> = component.iter().map(|f| domain(f)).collect();
        if domains.len() < 2 {
            continue;
        }
        report.push(format!(
            "a circle of {} files across {domains:?}; its edges between domains:",
            component.len()
        ));
        let mut component = component;
        component.sort();
        for from in &component {
            for (to, path) in &graph.edges[from] {
                if component.contains(to) && domain(from) != domain(to) {
                    report.push(format!("  {from} -> {to}  (crate::{path})"));
                }
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The domains stand in layers, each using only the ones below it:
/// platform ← effects ← tenants ← accounts ← factors ← signin ← recovery
/// ← setup and operator, with oidc beside factors. (Files directly under `src` — `env.rs`,
/// `error.rs`, `store.rs`, `testing.rs` — stand outside the layers.)
const LAYERS: &[&[&str]] = &[
    &["platform"],
    &["effects"],
    &["tenants"],
    &["accounts"],
    &["factors", "oidc"],
    &["signin.rs"],
    &["recovery"],
    &["setup", "operator"],
];

fn layer(domain: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&domain))
}

#[test]
fn domains_use_only_the_layers_below() {
    let mut files = BTreeMap::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    read_dir(&src, &src, &mut files);
    let graph = Graph::new(&files);
    let mut report = vec![];
    for (from, edges) in &graph.edges {
        for (to, path) in edges {
            let (a, b) = (domain(from), domain(to));
            if let (Some(la), Some(lb)) = (layer(a), layer(b))
                && a != b
                && la <= lb
            {
                report.push(format!("{from} -> {to}  (crate::{path})"));
            }
        }
    }
    assert!(
        report.is_empty(),
        "a domain uses one of its own layer or above:\n{}",
        report.join("\n")
    );
    // every domain folder has its layer
    for file in files.keys() {
        let d = domain(file);
        assert!(
            layer(d).is_some() || !file.contains('/'),
            "{file}: the domain {d} has no layer in LAYERS"
        );
    }
}

/// The reader itself, on made-up files: a use tree with `self`, a path
/// written in code that reaches a file through a `pub use`, and what it
/// must not read (a comment, a test module).
#[test]
fn the_reader_follows_use_trees_written_paths_and_reexports() {
    let files: BTreeMap<String, String> = [
        ("lib.rs", "pub mod a; pub mod b; pub mod c;"),
        ("a/mod.rs", "pub mod x;"),
        ("a/x.rs", "use crate::b::{self, y::Y};\npub struct X;"),
        ("b/mod.rs", "pub mod y;\n// crate::c::Z"),
        ("b/y.rs", "pub struct Y;\nfn f() { crate::c::Z::new(); }"),
        (
            "c/mod.rs",
            "pub use crate::a::x::X as Z;\n#[cfg(test)]\nmod tests { use crate::b::y::Y; }",
        ),
    ]
    .into_iter()
    .map(|(f, text)| (f.to_owned(), code_of(text)))
    .collect();
    let graph = Graph::new(&files);
    let edges = |f: &str| graph.edges[f].keys().cloned().collect::<Vec<_>>();
    assert_eq!(edges("a/x.rs"), ["b/mod.rs", "b/y.rs"]);
    assert_eq!(edges("b/y.rs"), ["a/x.rs"], "through the re-export");
    assert!(edges("b/mod.rs").is_empty(), "comments are not read");
    assert!(edges("c/mod.rs").is_empty(), "nor re-exports, nor tests");
    let mut circles: Vec<Vec<String>> = graph
        .components()
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    circles.iter_mut().for_each(|c| c.sort());
    assert_eq!(circles, [["a/x.rs", "b/y.rs"]]);
}

/// Every `.rs` file under `dir`, by its path relative to `src`, with its
/// comments and test module cut away.
fn read_dir(dir: &Path, src: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_dir(&path, src, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(src).unwrap().to_string_lossy();
            let text = std::fs::read_to_string(&path).unwrap();
            out.insert(rel.replace('\\', "/"), code_of(&text));
        }
    }
}

/// The code of a file without comments and without its test module.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.split("//").next().unwrap())
        .collect();
    let mut code = lines.join("\n");
    if let Some(at) = code.find("#[cfg(test)]")
        && code[at + 12..].trim_start().starts_with("mod ")
    {
        code.truncate(at);
    }
    code
}

fn domain(file: &str) -> &str {
    file.split_once('/').map_or(file, |(d, _)| d)
}

struct Use {
    public: bool,
    path: Vec<String>,
    alias: Option<String>,
}

/// The `crate::` paths of one file: use trees (leaves, with `pub` and
/// `as`), then the paths written out in code.
fn paths(code: &str) -> Vec<Use> {
    let mut out = vec![];
    let mut rest = String::new();
    let mut at = 0;
    while let Some(found) = code[at..].find("use crate::") {
        let start = at + found;
        let end = start + code[start..].find(';').unwrap();
        let word = code[..start].split_whitespace().next_back().unwrap_or("");
        let public = word == "pub" || word.starts_with("pub(");
        tree(&[], &code[start + 11..end], public, &mut out);
        rest.push_str(&code[at..start]);
        at = end;
    }
    rest.push_str(&code[at..]);
    let mut from = 0;
    while let Some(found) = rest[from..].find("crate::") {
        let start = from + found;
        from = start + 7;
        let prev = rest[..start].chars().next_back();
        if prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        // `crate::a::b::Item`: the plain names after `crate::`.
        let mut path = vec![];
        for segment in rest[from..].split("::") {
            let name: String = segment
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let whole = name.len() == segment.len();
            if name.is_empty() {
                break;
            }
            path.push(name);
            if !whole {
                break;
            }
        }
        out.push(Use {
            public: false,
            path,
            alias: None,
        });
    }
    out
}

/// One use tree after `crate::`: `a::b`, `a::b as c`, `a::{b, c::{d, self}}`.
fn tree(prefix: &[String], text: &str, public: bool, out: &mut Vec<Use>) {
    let text = text.trim();
    if let (Some(open), true) = (text.find('{'), text.ends_with('}')) {
        let mut head = prefix.to_vec();
        head.extend(segments(text[..open].trim_end_matches(':')));
        let (mut depth, mut part) = (0, String::new());
        for c in text[open + 1..text.len() - 1].chars().chain([',']) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    if !part.trim().is_empty() {
                        tree(&head, &part, public, out);
                    }
                    part.clear();
                    continue;
                }
                _ => {}
            }
            part.push(c);
        }
        return;
    }
    let (written, alias) = match text.split_once(" as ") {
        Some((p, a)) => (p, Some(a.trim().to_owned())),
        None => (text, None),
    };
    let mut path: Vec<String> = prefix.to_vec();
    path.extend(segments(written));
    if path.last().is_some_and(|s| s == "self" || s == "*") {
        path.pop();
    }
    out.push(Use {
        public,
        path,
        alias,
    });
}

fn segments(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

struct Graph {
    /// file -> (file it uses, one path that leads there)
    edges: BTreeMap<String, BTreeMap<String, String>>,
}

impl Graph {
    fn new(files: &BTreeMap<String, String>) -> Graph {
        let uses: BTreeMap<&str, Vec<Use>> = files
            .iter()
            .map(|(f, code)| (f.as_str(), paths(code)))
            .collect();
        // (file, name) -> the path a `pub use` gives that name
        let mut reexports = BTreeMap::new();
        for (file, list) in &uses {
            for u in list.iter().filter(|u| u.public) {
                if let Some(last) = u.alias.as_ref().or(u.path.last()) {
                    reexports.insert((file.to_string(), last.clone()), u.path.clone());
                }
            }
        }
        let module = |segs: &[String]| {
            let p = segs.join("/");
            [format!("{p}.rs"), format!("{p}/mod.rs")]
                .into_iter()
                .find(|f| files.contains_key(f))
        };
        let resolve = |path: &[String]| {
            let mut path = path.to_vec();
            for _ in 0..10 {
                let mut found = None;
                let mut next = None;
                for i in 1..=path.len() {
                    match module(&path[..i]) {
                        Some(f) => found = Some(f),
                        None => {
                            let key = found.clone().map(|f| (f, path[i - 1].clone()));
                            if let Some(target) = key.and_then(|k| reexports.get(&k)) {
                                let mut p: Vec<String> = target.clone();
                                p.extend(path[i..].iter().cloned());
                                next = Some(p);
                            }
                            break;
                        }
                    }
                }
                match next {
                    Some(p) => path = p,
                    None => return found,
                }
            }
            None
        };
        let mut edges = BTreeMap::new();
        for (file, list) in uses.iter().filter(|(f, _)| **f != "lib.rs") {
            let out: &mut BTreeMap<String, String> = edges.entry(file.to_string()).or_default();
            for u in list.iter().filter(|u| !u.public) {
                if let Some(to) = resolve(&u.path)
                    && to != *file
                    && to != "lib.rs"
                {
                    out.entry(to).or_insert_with(|| u.path.join("::"));
                }
            }
        }
        Graph { edges }
    }

    /// Strongly connected components (Tarjan).
    fn components(&self) -> Vec<Vec<String>> {
        struct State<'a> {
            graph: &'a Graph,
            index: BTreeMap<&'a str, usize>,
            low: BTreeMap<&'a str, usize>,
            stack: Vec<&'a str>,
            out: Vec<Vec<String>>,
        }
        fn visit<'a>(s: &mut State<'a>, v: &'a str) {
            let i = s.index.len();
            s.index.insert(v, i);
            s.low.insert(v, i);
            s.stack.push(v);
            for w in s.graph.edges[v].keys() {
                if !s.index.contains_key(w.as_str()) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w.as_str()]);
                    s.low.insert(v, low);
                } else if s.stack.contains(&w.as_str()) {
                    let low = s.low[v].min(s.index[w.as_str()]);
                    s.low.insert(v, low);
                }
            }
            if s.low[v] == s.index[v] {
                let at = s.stack.iter().position(|x| *x == v).unwrap();
                let component = s.stack.split_off(at);
                s.out
                    .push(component.into_iter().map(str::to_owned).collect());
            }
        }
        let mut s = State {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: vec![],
            out: vec![],
        };
        for v in self.edges.keys() {
            if !s.index.contains_key(v.as_str()) {
                visit(&mut s, v);
            }
        }
        s.out
    }
}
