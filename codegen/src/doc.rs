//! Rustdoc text: the spec's prose made safe to render (no accidental links, HTML tags or bare URLs), kept apart
//! from the Markdown the generator writes itself (intra-doc links), which is never escaped.

/// Trims each line and escapes `<` and `>`, which rustdoc would read as HTML.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for c in line.trim().chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
    }
    out
}

/// Spec prose (descriptions, summaries, notes): [`plain`], and brackets and URLs that must not become links.
pub fn prose(text: &str) -> String {
    plain(text)
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace("http://", "`http://`")
        .replace("https://", "`https://`")
}

/// A Markdown code span of `text` (on one line), fenced so that backticks inside it stay text.
pub fn code(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut fence = String::from("`");
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    if fence.len() > 1 || text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_cannot_make_links_or_tags() {
        assert_eq!(prose("see [a](b) <b>x</b>"), "see \\[a\\](b) &lt;b&gt;x&lt;/b&gt;");
        assert_eq!(prose("  http://x  \n y"), "`http://`x\ny");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("[\"a\"]"), "`[\"a\"]`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("x\n  y"), "`x y`");
    }
}

/// A text of the spec with its English: `original` as the reference (or a source) has it, `english` the
/// `…_en` sibling (none when the original is English already).
#[derive(Debug, Clone, Copy, Default)]
pub struct Text<'a> {
    pub original: Option<&'a str>,
    pub english: Option<&'a str>,
}

impl<'a> Text<'a> {
    pub fn new(original: Option<&'a str>, english: Option<&'a str>) -> Self {
        let keep = |s: Option<&'a str>| s.map(str::trim).filter(|s| !s.is_empty());
        Text {
            original: keep(original),
            english: keep(english),
        }
    }

    /// The English, escaped: the `…_en` text, else an original that is not Chinese.
    pub fn english(&self) -> Option<String> {
        self.english
            .or(self.original.filter(|o| !crate::load::has_han(o)))
            .map(prose)
    }

    /// The reference's Chinese wording, labelled, when the spec has one beside the English.
    pub fn reference(&self) -> Option<String> {
        let zh = self.original.filter(|o| crate::load::has_han(o))?;
        Some(format!("*The reference's wording:* {}", prose(zh)))
    }

    /// English first, then the reference's wording; each a paragraph.
    pub fn paragraphs(&self) -> Vec<String> {
        self.english().into_iter().chain(self.reference()).collect()
    }
}
