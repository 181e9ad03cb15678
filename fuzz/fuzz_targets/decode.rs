//! Fuzz target: any bytes as the answer of any action. The first byte picks the action; the decoder must return
//! a value or an error, never panic, and an error in well-formed JSON must name the field.
#![no_main]

use e2e::CASES;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let case = &CASES[usize::from(pick) % CASES.len()];
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    if let Err(e) = (case.decode)(text) {
        let object = serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.is_object());
        assert!(!object || e.starts_with("field "), "{}: {e}", case.action);
    }
});
