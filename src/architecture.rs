//! The layers, checked: the invariants ARCHITECTURE.md states, read from the source and the
//! manifests so that they cannot drift.
//!
//! - No module imports, directly or round about, a module that imports it: no cycle between
//!   the files of any crate.
//! - The server and the command line never import each other; only `serve.rs` knows both.
//! - The application layer knows no HTTP and no terminal; the domain does no I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module: its path from the crate root (`server::web::coach`), empty for the root.
type Module = Vec<String>;

/// The workspace's root directory.
fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, by the module it defines.
fn modules(dir: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("a source directory")
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).expect("under the directory");
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|last| ["mod", "lib", "main"].contains(&last.as_str()))
            {
                module.pop();
            }
            (module, path)
        })
        .collect()
}

/// The source without comments and without `#[cfg(test)] mod … { … }` blocks (tests may
/// reach anywhere).
fn without_tests_and_comments(source: &str) -> String {
    let mut text: String = source
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    while let Some(at) = text.find("#[cfg(test)]") {
        let rest = &text[at..];
        let Some(open) = rest.find('{') else { break };
        let header = &rest[..open];
        if !header.contains("mod ") || header.contains(';') {
            // Not a test module: drop just the attribute.
            text.replace_range(at..at + "#[cfg(test)]".len(), "");
            continue;
        }
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        text.replace_range(at..at + end, "");
    }
    text
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let close = tree.rfind('}').unwrap_or(tree.len());
    let prefix = &tree[..open];
    let mut items = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in tree[open + 1..close].chars() {
        match c {
            ',' if depth == 0 => items.push(std::mem::take(&mut current)),
            '{' => {
                depth += 1;
                current.push(c);
            }
            '}' => {
                depth -= 1;
                current.push(c);
            }
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand_use(&i))
        .map(|i| format!("{prefix}{i}"))
        .collect()
}

/// The paths a file names: its `use` trees, and `crate::…`, `super::…`, `self::…` anywhere.
fn named_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(end) = rest.find(';') {
            paths.extend(expand_use(&rest[..end]));
        }
    }
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            let before = text[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let tail = &text[at..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            paths.push(tail[..end].trim_end_matches(':').to_owned());
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// The deepest existing module a path from `here` leads to, if it stays in this crate.
fn resolve(
    path: &str,
    here: &Module,
    is_dir_module: bool,
    files: &BTreeMap<Module, PathBuf>,
) -> Option<Module> {
    let segments: Vec<&str> = path
        .split("::")
        .map(|s| s.split(" as ").next().unwrap_or(s))
        .collect();
    let mut target: Module = match segments.first()? {
        &"crate" => segments[1..].iter().map(|s| (*s).to_owned()).collect(),
        &"super" | &"self" => {
            let mut base = here.clone();
            let mut i = 0;
            while let Some(s) = segments.get(i).filter(|s| **s == "super" || **s == "self") {
                if *s == "super" {
                    base.pop();
                }
                i += 1;
            }
            base.extend(segments[i..].iter().map(|s| (*s).to_owned()));
            base
        }
        first if is_dir_module => {
            let mut child = here.clone();
            child.push((*first).to_owned());
            if !files.contains_key(&child) {
                return None;
            }
            child.extend(segments[1..].iter().map(|s| (*s).to_owned()));
            child
        }
        _ => return None,
    };
    while !target.is_empty() {
        if files.contains_key(&target) {
            return Some(target);
        }
        target.pop();
    }
    files.contains_key(&target).then_some(target)
}

/// The module graph of a crate's `src` directory.
fn graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let files = modules(src);
    files
        .iter()
        .map(|(module, path)| {
            let source = std::fs::read_to_string(path).expect("a readable source file");
            let text = without_tests_and_comments(&source);
            let is_dir_module = path
                .file_stem()
                .is_some_and(|s| s == "mod" || s == "lib" || s == "main");
            let edges = named_paths(&text)
                .iter()
                .filter_map(|p| resolve(p, module, is_dir_module, &files))
                .filter(|target| target != module)
                .collect();
            (module.clone(), edges)
        })
        .collect()
}

/// The strongly connected components of more than one module (Tarjan's algorithm): the
/// import cycles.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    struct Search<'g> {
        graph: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g Module, usize>,
        low: BTreeMap<&'g Module, usize>,
        stack: Vec<&'g Module>,
        on_stack: BTreeSet<&'g Module>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Search<'g> {
        fn visit(&mut self, v: &'g Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(if w.is_empty() {
                        "(root)".to_owned()
                    } else {
                        w.join("::")
                    });
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !search.index.contains_key(v) {
            search.visit(v);
        }
    }
    search.found
}

/// The names of a manifest's `[dependencies]` (not its dev-dependencies).
fn dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).expect("a manifest");
    let doc: toml::Table = text.parse().expect("a valid manifest");
    doc.get("dependencies")
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn no_crate_has_an_import_cycle_between_its_modules() {
    for src in ["src", "crates/app/src", "crates/domain/src"] {
        let found = cycles(&graph(&workspace().join(src)));
        assert!(found.is_empty(), "import cycles in {src}: {found:?}");
    }
}

#[test]
fn the_cycle_check_finds_a_cycle_and_resolves_paths() {
    let module = |s: &str| -> Module { s.split("::").map(str::to_owned).collect() };
    let mut g = BTreeMap::new();
    g.insert(module("a"), BTreeSet::from([module("b")]));
    g.insert(module("b"), BTreeSet::from([module("c")]));
    g.insert(module("c"), BTreeSet::from([module("a")]));
    g.insert(module("d"), BTreeSet::from([module("a")]));
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
    assert_eq!(
        expand_use("crate::x::{y, z::{p, q as r}}"),
        ["crate::x::y", "crate::x::z::p", "crate::x::z::qasr"]
    );
    let text = without_tests_and_comments(
        "use crate::a; // crate::b\n#[cfg(test)]\nmod tests { use crate::c; }\nfn f() { super::d::g(); }",
    );
    assert_eq!(named_paths(&text), ["crate::a", "super::d::g"]);
    assert_eq!(named_paths("use super::super::x;"), ["super::super::x"]);
}

#[test]
fn the_server_and_the_command_line_never_import_each_other() {
    let root = workspace().join("src");
    for (side, other) in [("server", "crate::cli"), ("cli", "crate::server")] {
        for path in modules(&root.join(side)).values() {
            let text = without_tests_and_comments(&std::fs::read_to_string(path).expect("source"));
            let named = named_paths(&text);
            assert!(
                !named.iter().any(|p| p.starts_with(other)) && !text.contains(other),
                "{} names {other}: only serve.rs may know both",
                path.display()
            );
        }
    }
}

#[test]
fn the_application_layer_knows_no_http_or_terminal_and_the_domain_no_io() {
    let http_or_terminal = [
        "axum",
        "axum-extra",
        "axum-server",
        "tower",
        "tower-http",
        "askama",
        "clap",
        "crossterm",
        "rpassword",
        "reqwest",
        "textwrap",
        "utoipa-axum",
    ];
    let app = dependencies(&workspace().join("crates/app/Cargo.toml"));
    for name in http_or_terminal {
        assert!(!app.contains(name), "crates/app depends on {name}");
    }
    for path in modules(&workspace().join("crates/app/src")).values() {
        let text = std::fs::read_to_string(path).expect("source");
        for name in ["axum", "clap", "crossterm", "askama"] {
            assert!(
                !text.contains(&format!("{name}::")),
                "{} uses {name}",
                path.display()
            );
        }
    }
    let domain = dependencies(&workspace().join("crates/domain/Cargo.toml"));
    for name in http_or_terminal.iter().chain(&[
        "tokio",
        "sqlx",
        "spinewise-store",
        "spinewise-vault",
        "spinewise-app",
    ]) {
        assert!(!domain.contains(*name), "crates/domain depends on {name}");
    }
}
