//! The spec's own small YAML writer: plain scalars when they read back the same, literal blocks for multi-line
//! text.

use super::*;

pub(super) fn write_param(w: &mut Writer, indent: usize, p: &Param) {
    w.line(indent, &format!("- name: {}", scalar(&p.name)));
    let i = indent + 2;
    w.line(i, &format!("type: {}", p.ty));
    if let Some(t) = p.item_type {
        w.line(i, &format!("item_type: {t}"));
    }
    w.line(i, &format!("required: {}", p.required));
    if let Some(e) = &p.example {
        w.line(i, &format!("example: {}", quoted(e)));
    }
    w.described(i, p.description.as_deref());
    if let Some(d) = &p.default {
        w.line(i, &format!("default: {}", quoted(d)));
    }
    if p.body {
        w.line(i, "location: body");
    }
    if p.deprecated {
        w.line(i, "deprecated: true");
    }
    write_values(w, i, &p.values);
}

pub(super) fn write_values(w: &mut Writer, indent: usize, values: &[DocValue]) {
    if values.is_empty() {
        return;
    }
    w.line(indent, "values:");
    for v in values {
        w.line(indent + 2, &format!("- value: {}", quoted(&v.value)));
        w.described(indent + 4, v.description.as_deref());
    }
}

pub(super) fn write_field(w: &mut Writer, indent: usize, f: &Field) {
    w.line(indent, &format!("- name: {}", scalar(&f.name)));
    let i = indent + 2;
    w.line(i, &format!("type: {}", f.word));
    if let Some(t) = f.item_type {
        w.line(i, &format!("item_type: {t}"));
    }
    if let Some(wr) = &f.wrapper {
        w.line(i, &format!("wrapper: {}", scalar(wr)));
    }
    if let Some(e) = &f.example {
        w.line(i, &format!("example: {}", quoted(e)));
    }
    w.described(i, f.description.as_deref());
    write_values(w, i, &f.values);
    if let Some(fields) = &f.fields {
        if fields.is_empty() {
            w.line(i, "fields: []");
        } else {
            w.line(i, "fields:");
            for c in fields {
                write_field(w, i + 2, c);
            }
        }
    }
}

/// A small YAML writer for the spec's format: block mappings and sequences, strings plain when safe.
#[derive(Default)]
pub(super) struct Writer {
    pub(super) out: String,
}

impl Writer {
    pub(super) fn line(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `key: value`, as a literal block when the value has several lines.
    pub(super) fn key(&mut self, indent: usize, key: &str, value: &str) {
        // A literal block reads back verbatim unless its first line is indented (it would set the block's
        // indentation), it ends in more than one newline, or it holds a carriage return.
        let first = value.lines().find(|l| !l.is_empty());
        let literal = value.contains('\n')
            && first.is_some_and(|l| !l.starts_with([' ', '\t']))
            && !value.ends_with("\n\n")
            && !value.contains('\r');
        if !literal {
            self.line(indent, &format!("{key}: {}", scalar(value)));
            return;
        }
        let chomp = if value.ends_with('\n') { "" } else { "-" };
        self.line(indent, &format!("{key}: |{chomp}"));
        for l in value.lines() {
            if l.is_empty() {
                self.out.push('\n');
            } else {
                self.line(indent + 2, l);
            }
        }
    }

    /// A text users read: `key: value`, and when it is Chinese an `<key>_en` placeholder that the loader refuses
    /// until someone writes the English (adding an action never ships undocumented).
    pub(super) fn prose(&mut self, indent: usize, key: &str, value: &str) {
        self.key(indent, key, value);
        if crate::load::has_han(value) {
            let placeholder = format!("{} write the English of '{key}'", crate::load::ENGLISH_PLACEHOLDER);
            self.line(indent, &format!("{key}_en: {}", quoted(&placeholder)));
        }
    }

    /// A description users read: as [`prose`](Self::prose), and with none at all, the placeholder alone (a
    /// parameter, field or value the source leaves undescribed still gets an English text before it ships).
    pub(super) fn described(&mut self, indent: usize, description: Option<&str>) {
        match description {
            Some(d) => self.prose(indent, "description", d),
            None => {
                let placeholder = format!(
                    "{} the source has no description: write one",
                    crate::load::ENGLISH_PLACEHOLDER
                );
                self.line(indent, &format!("description_en: {}", quoted(&placeholder)));
            }
        }
    }

    pub(super) fn item_scalar(&mut self, indent: usize, value: &str) {
        self.line(indent, &format!("- {}", quoted(value)));
    }
}

/// A string as a YAML scalar: plain when that reads back as the same string, else double-quoted.
pub(super) fn scalar(s: &str) -> String {
    let special_start = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ',
    ]);
    let looks_typed = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | ""
    ) || s.parse::<f64>().is_ok()
        || s.starts_with(|c: char| c.is_ascii_digit());
    let unsafe_inside = s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' ')
        || s.contains(['\n', '\t', '\r'])
        || s.chars().any(|c| c.is_control());
    if special_start || looks_typed || unsafe_inside {
        quoted(s)
    } else {
        s.to_owned()
    }
}

/// A string as a double-quoted YAML scalar (JSON's escapes are YAML's).
pub(super) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}
