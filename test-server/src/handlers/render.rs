//! The service's list envelopes: a page of items with its counts (`CurrentPageNum`, `TotalItemNum`, …), and the
//! cursor pages of the `…History` actions.

use serde_json::{json, Value};

/// Which page a request asks for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    /// The page number, from 1.
    pub number: usize,
    /// Items per page.
    pub size: usize,
}

impl Page {
    /// This page's slice of `items`.
    pub fn of<T>(self, items: Vec<T>) -> Vec<T> {
        let skip = (self.number - 1).saturating_mul(self.size);
        items.into_iter().skip(skip).take(self.size).collect()
    }

    /// The paged envelope around this page of `total` items, its items under `Data`.
    pub fn envelope(self, total: usize, data: Value) -> Value {
        let pages = total.div_ceil(self.size);
        json!({
            "CurrentPageNum": self.number,
            "PageSize": self.size,
            "TotalItemNum": total,
            "TotalPageNum": pages,
            "NextPage": self.number < pages,
            "PrePage": self.number > 1,
            "Data": data,
        })
    }

    /// This page of `items`, under `Data.<wrapper>`.
    pub fn wrapped(self, items: Vec<Value>, wrapper: &str) -> Value {
        let total = items.len();
        self.envelope(total, json!({ wrapper: self.of(items) }))
    }

    /// This page of `items`, a bare array under `Data`.
    pub fn bare(self, items: Vec<Value>) -> Value {
        let total = items.len();
        self.envelope(total, Value::Array(self.of(items)))
    }
}

/// The cursor envelope of the `…History` actions: `size` items of `found` from `start`, with the cursors of
/// this page, the next and the previous.
pub(super) fn cursor_page<T>(found: &[T], start: usize, size: usize, render: impl Fn(&T) -> Value) -> Value {
    let shown = &found[start.min(found.len())..start.saturating_add(size).min(found.len())];
    json!({
        "PageSize": size,
        "Objects": shown.iter().map(&render).collect::<Vec<_>>(),
        "CurrentPageCursor": shown.first().map(&render),
        "NextPageCursor": found.get(start + shown.len()).map(&render),
        "PrePageCursor": start.checked_sub(size).and_then(|previous| found.get(previous)).map(&render),
    })
}

/// A lock as the service shows it: `OPEN` or `CLOSE`.
pub(super) fn lock_state(on: bool) -> &'static str {
    if on {
        "OPEN"
    } else {
        "CLOSE"
    }
}
