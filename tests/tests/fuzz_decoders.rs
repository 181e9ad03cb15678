//! A deterministic fuzz of every action's decoder: each reference example, mutated many ways from a fixed seed
//! (byte flips, truncation, type swaps, huge and tiny numbers, deep nesting, duplicate keys, keys in other
//! cases), must decode or fail with an error, never panic; an error in well-formed JSON names the field; and the
//! memory a decode takes stays proportional to its input. The coverage-guided targets for nightly are in `fuzz/`.
//!
//! One test in its own binary: it counts allocations with a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

use e2e::{ACTIONS, CASES};
use serde_json::{Map, Value};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the counters are only statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// How many mutations each action's example gets.
const CASES_PER_ACTION: usize = 60;
const SEED: u64 = 0x00D0_3A1E_5EED;

/// One way to break a document (shown in a failure through `Debug`).
#[derive(Debug)]
#[allow(dead_code)]
enum Mutation {
    /// A value somewhere below the root replaced by this one.
    Swap(Vec<String>, Value),
    /// A key somewhere renamed (another case, or a duplicate of a sibling).
    Key(Vec<String>, String),
    /// The text with one byte changed, or cut.
    Text(String),
}

/// Every path to a value below the root, as keys and indexes.
fn paths(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(k.clone());
                out.push(here.clone());
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(i.to_string());
                out.push(here.clone());
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, seg| match v {
        Value::Object(m) => m.get_mut(seg),
        Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    })
}

fn nested(depth: usize) -> Value {
    (0..depth).fold(Value::from(1), |inner, _| Value::Array(vec![inner]))
}

fn replacement(rng: &mut fastrand::Rng, old: &Value) -> Value {
    match rng.u8(0..14) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::from(rng.i64(..)),
        3 => Value::from(u64::MAX),
        4 => Value::from(-1e300),
        5 => Value::from(5e-324),
        6 => Value::from("99999999999999999999999"),
        7 => Value::from("-9223372036854775809"),
        8 => Value::from("x".repeat(rng.usize(0..5000))),
        9 => Value::Object(Map::new()),
        10 => Value::Array(vec![old.clone(), old.clone()]),
        11 => nested(rng.usize(1..300)),
        12 => Value::from(old.to_string()),
        _ => Value::from(format!("{old}{}", rng.u32(..))),
    }
}

fn mutate(rng: &mut fastrand::Rng, example: &str, doc: &Value) -> (Mutation, String) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let kind = if all.is_empty() { 2 } else { rng.u8(0..3) };
    match kind {
        0 => {
            let path = all[rng.usize(..all.len())].clone();
            let mut doc = doc.clone();
            let target = at(&mut doc, &path).expect("a path of the document");
            let new = replacement(rng, target);
            *target = new.clone();
            (Mutation::Swap(path, new), doc.to_string())
        }
        1 => {
            let path = all[rng.usize(..all.len())].clone();
            let (parent_path, key) = path.split_at(path.len() - 1);
            let key = key[0].clone();
            let mut renamed = doc.clone();
            let parent = if parent_path.is_empty() {
                Some(&mut renamed)
            } else {
                at(&mut renamed, parent_path)
            };
            let Some(Value::Object(map)) = parent else {
                // An index, not a key: cut the text there instead.
                return (Mutation::Text(example.to_owned()), example.to_owned());
            };
            if rng.bool() {
                // The same key in another case.
                let value = map.remove(&key).unwrap_or(Value::Null);
                let new = if rng.bool() {
                    key.to_lowercase()
                } else {
                    key.to_uppercase()
                };
                map.insert(new.clone(), value);
                (Mutation::Key(path, new), renamed.to_string())
            } else {
                // The key twice, the first time with another value: the last one counts.
                let text = doc.to_string();
                let needle = format!("{}:", Value::from(key.clone()));
                let first = replacement(rng, &Value::Null);
                let text = text.replacen(&needle, &format!("{needle}{first},{needle}"), 1);
                (Mutation::Key(path, format!("{key} (twice)")), text)
            }
        }
        _ => {
            let mut bytes = example.as_bytes().to_vec();
            if bytes.is_empty() {
                return (Mutation::Text(String::new()), String::new());
            }
            let i = rng.usize(..bytes.len());
            match rng.u8(0..3) {
                0 => bytes.truncate(i),
                1 => bytes[i] ^= 1 << rng.u8(0..8),
                _ => bytes.insert(i, rng.u8(..)),
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (Mutation::Text(text.clone()), text)
        }
    }
}

#[test]
fn every_decoder_survives_mutated_examples() {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut decoded = 0;
    let mut refused = 0;
    let mut problems = Vec::new();
    for case in CASES {
        let example = ACTIONS
            .iter()
            .find(|a| a.action == case.action && a.version == case.version)
            .map(|a| a.example)
            .expect("every case has an example");
        let Ok(doc) = serde_json::from_str::<Value>(example) else {
            continue;
        };
        for _ in 0..CASES_PER_ACTION {
            let (mutation, text) = mutate(&mut rng, example, &doc);
            let well_formed = serde_json::from_str::<Value>(&text).is_ok_and(|v| v.is_object());
            PEAK.store(CURRENT.load(Ordering::Relaxed), Ordering::Relaxed);
            let before = CURRENT.load(Ordering::Relaxed);
            let result = catch_unwind(AssertUnwindSafe(|| (case.decode)(&text)));
            let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
            match result {
                Err(_) => problems.push(format!("{}: PANIC on {mutation:?}", case.action)),
                Ok(Ok(_)) => decoded += 1,
                Ok(Err(e)) => {
                    refused += 1;
                    if well_formed && !e.starts_with("field ") {
                        problems.push(format!("{}: error names no field: {e} ({mutation:?})", case.action));
                    }
                }
            }
            // The decode and the re-serialization of its result, with room for the largest mutation.
            let bound = 64 * text.len() + 256 * 1024;
            if peak > bound {
                problems.push(format!(
                    "{}: a decode of {} bytes took {peak} bytes ({mutation:?})",
                    case.action,
                    text.len()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The mutations do exercise both outcomes.
    assert!(decoded > 1000 && refused > 1000, "decoded {decoded}, refused {refused}");
}
