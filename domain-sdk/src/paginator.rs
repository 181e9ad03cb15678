//! Paginators: any paged operation (marked in the spec) becomes a `Stream` of pages and of items.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt as _};

use crate::error::Error;

/// The future of one call.
pub type SendFuture<O> = Pin<Box<dyn Future<Output = Result<O, Error>> + Send>>;

/// The pages or items of a [`Paginator`], in order, each call to the service made when the previous page is used
/// up. [`next`](Self::next) and [`try_collect`](Self::try_collect) need nothing but this crate; the stream is also
/// a [`futures_core::Stream`](Stream), for the combinators of `futures-util` or `tokio-stream`.
///
/// After an error the stream ends: the error is its last item.
#[must_use = "a pagination stream does nothing until it is polled"]
pub struct PaginationStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> PaginationStream<T> {
    fn new(inner: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Self {
        PaginationStream { inner: Box::pin(inner) }
    }

    /// The next page or item; `None` once every page was read (or after an error).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.inner.next().await
    }

    /// The next page or item as a `Result`, for `while let Some(x) = stream.try_next().await? { … }`.
    ///
    /// # Errors
    /// The failure of a page's call.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error> {
        self.next().await.transpose()
    }

    /// Every remaining page or item, or the first error.
    ///
    /// # Errors
    /// The failure of a page's call.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(x) = self.try_next().await? {
            all.push(x);
        }
        Ok(all)
    }
}

impl<T> Stream for PaginationStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationStream").finish_non_exhaustive()
    }
}

/// An operation ready to send: every generated fluent builder is one.
pub trait Sendable: Sized + Send + 'static {
    /// What it answers.
    type Output: Send + 'static;
    /// Sends it (the same as its `send()`).
    fn send_boxed(self) -> SendFuture<Self::Output>;
}

/// An operation that pages through results; generated for every action the spec marks with `pagination`.
pub trait Paged: Sendable + Clone {
    /// The action's name, for errors.
    const ACTION: &'static str;
    /// One result.
    type Item: Clone + PartialEq + Send + 'static;
    /// What selects a page: a page number or a scroll id.
    type Token: Clone + Send + 'static;
    /// The request for the page `token` selects.
    fn with_token(self, token: Self::Token) -> Self;
    /// The token of the page after `output`, if there is one.
    fn next_token(&self, output: &Self::Output) -> Option<Self::Token>;
    /// The page's items.
    fn items(output: &Self::Output) -> &[Self::Item];
    /// Takes the page's items out of `output`.
    fn take_items(output: &mut Self::Output) -> Vec<Self::Item>;
}

/// The most pages a paginator reads by default before it stops with an error ([`Paginator::max_pages`]).
pub const DEFAULT_MAX_PAGES: u32 = 100_000;

/// Pages through a paged operation: [`pages`](Paginator::pages) or [`items`](Paginator::items).
///
/// The first request is the builder as given (its page number, or no scroll id); each following one asks for the
/// page the previous answer points to, until the service says there is none, or a page comes back empty.
///
/// A service that never says it is done cannot make it run forever: a page with the same items as the one before
/// it ends the stream with [`Error::Pagination`], and so does reaching [`max_pages`](Paginator::max_pages)
/// (default [`DEFAULT_MAX_PAGES`]) while the service still points to a next page.
#[derive(Debug, Clone)]
pub struct Paginator<B> {
    first: B,
    max_pages: u32,
}

/// What identifies a page well enough to see it come back: its length and its first and last items.
struct Fingerprint<T> {
    len: usize,
    first: T,
    last: T,
}

impl<T: Clone + PartialEq> Fingerprint<T> {
    fn of(items: &[T]) -> Option<Self> {
        Some(Fingerprint {
            len: items.len(),
            first: items.first()?.clone(),
            last: items.last()?.clone(),
        })
    }
    fn same(&self, other: &Self) -> bool {
        self.len == other.len && self.first == other.first && self.last == other.last
    }
}

/// Where a paginator stands between two pages.
struct Cursor<B: Paged> {
    next: Option<B>,
    /// Pages read so far.
    pages: u32,
    max_pages: u32,
    previous: Option<Fingerprint<B::Item>>,
}

impl<B: Paged> Cursor<B> {
    fn stop(reason: String) -> Error {
        Error::Pagination {
            action: B::ACTION,
            reason,
        }
    }

    /// Reads the next page: `None` when the stream is over. After an error the cursor has no next page.
    async fn advance(mut self) -> Option<(Result<B::Output, Error>, Self)> {
        let request = self.next.take()?;
        if self.pages >= self.max_pages {
            let reason = format!(
                "stopped after {} pages (the paginator's max_pages) while the service says there are more",
                self.pages
            );
            return Some((Err(Self::stop(reason)), self));
        }
        let output = match request.clone().send_boxed().await {
            Ok(output) => output,
            Err(e) => return Some((Err(e), self)),
        };
        self.pages += 1;
        let fingerprint = Fingerprint::of(B::items(&output));
        if let (Some(now), Some(before)) = (&fingerprint, &self.previous) {
            if now.same(before) {
                let reason = format!(
                    "page {} repeats page {}: the service answered the same {} item(s) again, so it would never end",
                    self.pages,
                    self.pages - 1,
                    now.len
                );
                return Some((Err(Self::stop(reason)), self));
            }
        }
        self.previous = fingerprint;
        self.next = request.next_token(&output).map(|t| request.with_token(t));
        Some((Ok(output), self))
    }
}

impl<B: Paged> Paginator<B> {
    /// A paginator starting with `first`.
    pub fn new(first: B) -> Self {
        Paginator {
            first,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Reads at most `pages` pages (at least 1): if the service still points to a next page after them, the
    /// stream ends with [`Error::Pagination`] rather than going on (default [`DEFAULT_MAX_PAGES`]). To read only
    /// the first few pages on purpose, take them from the stream instead.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    fn cursor(self) -> Cursor<B> {
        Cursor {
            next: Some(self.first),
            pages: 0,
            max_pages: self.max_pages,
            previous: None,
        }
    }

    /// Every page, in order. A failed page ends the stream after yielding its error.
    pub fn pages(self) -> PaginationStream<B::Output> {
        PaginationStream::new(stream::unfold(self.cursor(), Cursor::advance))
    }

    /// Every item of every page, in order. A failed page ends the stream after yielding its error.
    pub fn items(self) -> PaginationStream<B::Item> {
        PaginationStream::new(stream::unfold(self.cursor(), Cursor::advance).flat_map(
            |page: Result<B::Output, Error>| match page {
                Ok(mut output) => stream::iter(B::take_items(&mut output).into_iter().map(Ok).collect::<Vec<_>>()),
                Err(e) => stream::iter(vec![Err(e)]),
            },
        ))
    }
}

/// The next page number after page `sent` (1 when unset), from what the answer says. There is a next page only
/// when nothing in the answer says otherwise: `NextPage` is not false, `TotalPageNum` is not reached, and — when
/// the answer says neither — the page was full. Never past an empty page.
pub fn next_page_number(
    sent: Option<i32>,
    next_page: Option<bool>,
    total_pages: Option<i32>,
    items: usize,
    page_size: Option<i32>,
) -> Option<i32> {
    let current = sent.unwrap_or(1);
    if items == 0 {
        return None;
    }
    let more = match (next_page, total_pages) {
        (None, None) => page_size.is_some_and(|size| usize::try_from(size).is_ok_and(|s| items >= s)),
        (next, total) => next.unwrap_or(true) && total.is_none_or(|t| current < t),
    };
    more.then(|| current.checked_add(1)).flatten()
}

/// The next scroll id: the one the answer gives, unless the page was empty or the id did not move.
pub fn next_scroll_id(sent: Option<&str>, scroll_id: Option<&str>, items: usize) -> Option<String> {
    let next = scroll_id.filter(|s| !s.is_empty())?;
    (items > 0 && Some(next) != sent).then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert_eq!(next_page_number(None, Some(true), Some(3), 10, Some(10)), Some(2));
        assert_eq!(
            next_page_number(Some(2), Some(false), Some(3), 10, Some(10)),
            None,
            "NextPage wins"
        );
        assert_eq!(next_page_number(Some(2), None, Some(3), 10, None), Some(3));
        assert_eq!(next_page_number(Some(3), None, Some(3), 10, None), None);
        assert_eq!(
            next_page_number(Some(1), None, None, 10, Some(10)),
            Some(2),
            "a full page may have a successor"
        );
        assert_eq!(next_page_number(Some(1), None, None, 7, Some(10)), None);
        assert_eq!(
            next_page_number(Some(1), Some(true), None, 0, Some(10)),
            None,
            "never past an empty page"
        );
        assert_eq!(next_page_number(Some(i32::MAX), Some(true), None, 1, None), None);
        assert_eq!(
            next_page_number(Some(1), Some(true), Some(1), 1, None),
            None,
            "the last page by count ends it"
        );
    }

    #[test]
    fn scroll_ids() {
        assert_eq!(next_scroll_id(None, Some("a"), 5).as_deref(), Some("a"));
        assert_eq!(
            next_scroll_id(Some("a"), Some("a"), 5),
            None,
            "a scroll id that does not move ends the scroll"
        );
        assert_eq!(next_scroll_id(Some("a"), Some("b"), 0), None);
        assert_eq!(next_scroll_id(Some("a"), Some(""), 3), None);
    }
}
