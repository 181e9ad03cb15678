//! Lenient response decoding: every field optional, numbers and booleans accepted as strings (and back),
//! lists accepted bare, wrapped (`{"Domain": [...]}`) or as a lone item.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A type that decodes leniently; `None` for `null` (and for an empty string where a number is expected).
pub trait Lenient: Sized {
    /// Decodes one value.
    ///
    /// # Errors
    /// The deserializer's error when the value cannot be this type even leniently.
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;

    /// Decodes a value known not to be `null` (a lone object standing for a one-item list).
    ///
    /// # Errors
    /// As [`lenient`](Self::lenient).
    fn lenient_present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Self::lenient(d)
    }
}

/// Implements [`Lenient`] for a type through its `Deserialize` impl (generated structures and enums).
macro_rules! lenient_via_serde {
    ($t:ty) => {
        impl $crate::__private::Lenient for $t {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                <::std::option::Option<$t> as ::serde::Deserialize>::deserialize(d)
            }
            fn lenient_present<'de, D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                <$t as ::serde::Deserialize>::deserialize(d).map(::std::option::Option::Some)
            }
        }
    };
}
pub(crate) use lenient_via_serde;

/// Implements `Deserialize` (through [`decode_struct`]) and [`Lenient`] for a type that implements
/// [`DecodeFields`]: every generated structure, and the runtime's own.
macro_rules! decode_via_fields {
    ($t:ty) => {
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::decode_struct(d)
            }
        }
        $crate::__private::lenient_via_serde!($t);
    };
}
pub(crate) use decode_via_fields;

/// Implements `Deserialize` (from a string, number or boolean), `Serialize`, [`Lenient`] and
/// `WireValue` for a generated enum with `as_str` and `From<&str>`.
macro_rules! wire_enum {
    ($t:ty) => {
        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::wire_enum_value(d)
            }
        }
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl $crate::__private::Lenient for $t {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                let value: ::std::option::Option<Self> = ::serde::Deserialize::deserialize(d)?;
                ::std::result::Result::Ok(value.filter(|v| !v.as_str().is_empty()))
            }
        }
        impl $crate::__private::WireValue for $t {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
        #[cfg(feature = "test-util")]
        impl $crate::__private::FromWire for $t {
            fn from_wire(text: &str) -> ::std::option::Option<Self> {
                let text = ::serde::de::value::StrDeserializer::<::serde::de::value::Error>::new(text);
                ::serde::Deserialize::deserialize(text).ok()
            }
        }
    };
}
pub(crate) use wire_enum;

/// An enum's wire value as it arrived: borrowed from the input when it can be.
enum WireText<'de> {
    Borrowed(&'de str),
    Owned(String),
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Bool(bool),
}

/// Reads an enum's wire value from a string, a number or a boolean; one visitor for every enum, so the
/// decoding code is compiled once, not once per enum.
struct WireTextVisitor;

impl<'de> Visitor<'de> for WireTextVisitor {
    type Value = WireText<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a documented value (string or number)")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(WireText::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(WireText::Owned(v.to_owned()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(WireText::Signed(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(WireText::Unsigned(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(WireText::Float(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(WireText::Bool(v))
    }
}

/// Decodes a generated enum (without allocating for a documented value); `null` is handled by the `Option`
/// around it.
///
/// # Errors
/// When the value is an object or an array.
pub fn wire_enum_value<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(d: D) -> Result<T, D::Error> {
    Ok(match d.deserialize_any(WireTextVisitor)? {
        WireText::Borrowed(s) => T::from(s),
        WireText::Owned(s) => T::from(s.as_str()),
        WireText::Signed(n) => T::from(itoa::Buffer::new().format(n)),
        WireText::Unsigned(n) => T::from(itoa::Buffer::new().format(n)),
        WireText::Float(n) => T::from(n.to_string().as_str()),
        WireText::Bool(b) => T::from(if b { "true" } else { "false" }),
    })
}

struct ScalarVisitor<T>(PhantomData<T>, &'static str);

/// How a scalar type is read from each JSON kind.
trait Scalar: Sized {
    fn from_str<E: de::Error>(s: &str) -> Result<Option<Self>, E>;
    fn from_i64<E: de::Error>(n: i64) -> Result<Self, E>;
    fn from_u64<E: de::Error>(n: u64) -> Result<Self, E>;
    fn from_f64<E: de::Error>(n: f64) -> Result<Self, E>;
    fn from_bool<E: de::Error>(b: bool) -> Result<Self, E>;
}

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::from_str(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v).map(Some)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_u64(v).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v).map(Some)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_bool(v).map(Some)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Scalar for String {
    fn from_str<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        Ok(Some(s.to_owned()))
    }
    fn from_i64<E: de::Error>(n: i64) -> Result<Self, E> {
        Ok(n.to_string())
    }
    fn from_u64<E: de::Error>(n: u64) -> Result<Self, E> {
        Ok(n.to_string())
    }
    fn from_f64<E: de::Error>(n: f64) -> Result<Self, E> {
        Ok(n.to_string())
    }
    fn from_bool<E: de::Error>(b: bool) -> Result<Self, E> {
        Ok(b.to_string())
    }
}

macro_rules! integer_scalar {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            fn from_str<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                if let Ok(n) = s.parse::<$t>() {
                    return Ok(Some(n));
                }
                let expected = &concat!("an integer (", stringify!($t), ")");
                // An integer written as digits (with `.000` at most) is read exactly: out of range is an error,
                // never the nearest float.
                let digits = s.split_once('.').map_or((s, ""), |(i, f)| (i, f));
                let unsigned = digits.0.strip_prefix(['+', '-']).unwrap_or(digits.0);
                if !unsigned.is_empty()
                    && unsigned.bytes().all(|b| b.is_ascii_digit())
                    && digits.1.bytes().all(|b| b == b'0')
                {
                    return digits.0.parse::<$t>().map(Some).map_err(|_| E::invalid_value(de::Unexpected::Str(s), expected));
                }
                match s.parse::<f64>() {
                    Ok(f) => Self::from_f64(f).map(Some),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Str(s), expected)),
                }
            }
            fn from_i64<E: de::Error>(n: i64) -> Result<Self, E> {
                <$t>::try_from(n).map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &stringify!($t)))
            }
            fn from_u64<E: de::Error>(n: u64) -> Result<Self, E> {
                <$t>::try_from(n).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &stringify!($t)))
            }
            fn from_f64<E: de::Error>(n: f64) -> Result<Self, E> {
                // A float is an exact integer only up to 2^53; beyond, it may stand for another integer than
                // the one written, so it is refused rather than rounded.
                const EXACT: f64 = 9_007_199_254_740_992.0;
                if n.fract() == 0.0 && n.abs() <= EXACT && n >= <$t>::MIN as f64 && n <= <$t>::MAX as f64 {
                    Ok(n as $t)
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(n), &stringify!($t)))
                }
            }
            fn from_bool<E: de::Error>(b: bool) -> Result<Self, E> {
                Err(E::invalid_type(de::Unexpected::Bool(b), &stringify!($t)))
            }
        }
    )*};
}
integer_scalar!(i32, i64);

impl Scalar for f64 {
    fn from_str<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse()
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(s), &"a number"))
    }
    fn from_i64<E: de::Error>(n: i64) -> Result<Self, E> {
        Ok(n as f64)
    }
    fn from_u64<E: de::Error>(n: u64) -> Result<Self, E> {
        Ok(n as f64)
    }
    fn from_f64<E: de::Error>(n: f64) -> Result<Self, E> {
        Ok(n)
    }
    fn from_bool<E: de::Error>(b: bool) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Bool(b), &"a number"))
    }
}

impl Scalar for bool {
    fn from_str<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        match s.trim() {
            "" => Ok(None),
            t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(Some(true)),
            t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(Some(false)),
            t => Err(E::invalid_value(de::Unexpected::Str(t), &"true or false")),
        }
    }
    fn from_i64<E: de::Error>(n: i64) -> Result<Self, E> {
        match n {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(n), &"true or false")),
        }
    }
    fn from_u64<E: de::Error>(n: u64) -> Result<Self, E> {
        Self::from_i64(i64::try_from(n).unwrap_or(i64::MAX))
    }
    fn from_f64<E: de::Error>(n: f64) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Float(n), &"true or false"))
    }
    fn from_bool<E: de::Error>(b: bool) -> Result<Self, E> {
        Ok(b)
    }
}

macro_rules! lenient_scalar {
    ($($t:ty => $what:literal),*) => {$(
        impl Lenient for $t {
            fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                d.deserialize_any(ScalarVisitor::<$t>(PhantomData, $what))
            }
        }
    )*};
}
lenient_scalar!(String => "a string", i32 => "an integer", i64 => "an integer", f64 => "a number", bool => "a boolean");

/// A field the service leaves untyped (`type: Json`): any JSON value, kept as it came; `null` is none.
impl Lenient for serde_json::Value {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        <Option<serde_json::Value> as serde::Deserialize>::deserialize(d)
    }
}

/// Reads a list: an array, or a lone item standing for a one-item list.
struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        let mut index = 0usize;
        while let Some(item) = seq
            .next_element_seed(OptSeed::<T>::new())
            .map_err(|e| at_path(Segment::Index(index), &e))?
        {
            out.extend(item);
            index += 1;
        }
        Ok(Some(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Some(
            T::lenient_present(de::value::MapAccessDeserializer::new(map))?
                .into_iter()
                .collect(),
        ))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(T::lenient(v.into_deserializer())?.into_iter().collect()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(T::lenient(v.into_deserializer())?.into_iter().collect()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(T::lenient(v.into_deserializer())?.into_iter().collect()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(T::lenient(v.into_deserializer())?.into_iter().collect()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(T::lenient(v.into_deserializer())?.into_iter().collect()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Decodes a list the JSON holds directly (`"Data": [...]`).
///
/// # Errors
/// When an item cannot be decoded.
pub fn de_list<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_any(ListVisitor::<T>(PhantomData))
}

struct WrappedVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for WrappedVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list wrapped in a one-key object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = None;
        if let Some(key) = map.next_key::<Key<'de>>()? {
            out = map
                .next_value_seed(ListOf::<T>::bare())
                .map_err(|e| at_path(Segment::Key(&key.0), &e))?;
            while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        }
        Ok(Some(out.unwrap_or_default()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor::<T>(PhantomData).visit_seq(seq)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        ListVisitor::<T>(PhantomData).visit_str(v)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Decodes a list wrapped in a one-key object (`"Data": {"Domain": [...]}`), whatever the key.
///
/// # Errors
/// When an item cannot be decoded.
pub fn de_wrapped<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_any(WrappedVisitor::<T>(PhantomData))
}

/// A generated response structure: filled in key by key from a JSON object. The generator emits this instead of
/// `#[derive(Deserialize)]`: each field reads through a seed shared by every field of its type, so the decoding
/// code is compiled once per type, not once per field, and there is no array form to compile.
pub trait DecodeFields: Default {
    /// Names the structure in errors.
    const NAME: &'static str;

    /// Reads the value of `key` into its field, or skips it when the key is unknown.
    ///
    /// # Errors
    /// When the value cannot be the field's type even leniently.
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// A JSON key, borrowed from the input when it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeFields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expect_object(f, T::NAME)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            out.field(&key.0, &mut map)
                .map_err(|e| at_path(Segment::Key(&key.0), &e))?;
        }
        Ok(out)
    }
}

/// Where in the answer a decode error happened: a key of an object, or an index of a list.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// What a decode error about a field says: `field Data.Domain[1].Price: invalid value: …`.
const FIELD_PREFIX: &str = "field ";

/// The error `inner`, with `segment` put in front of the path it names (one is started if it names none). Only on
/// the error path, and not generic over the structure, so it costs nothing when decoding succeeds.
fn at_path<E: de::Error>(segment: Segment<'_>, inner: &E) -> E {
    E::custom(path_message(segment, &inner.to_string()))
}

#[inline(never)]
fn path_message(segment: Segment<'_>, inner: &str) -> String {
    // serde_json appends the position (` at line 1 column 40`) to an error as it leaves each container; it adds
    // it again to the wrapped error, so the inner one is dropped here.
    let inner = strip_position(inner);
    let (path, reason) = match inner.strip_prefix(FIELD_PREFIX).and_then(|rest| rest.split_once(": ")) {
        Some((path, reason)) => (Some(path), reason),
        None => (None, inner),
    };
    let head = match segment {
        Segment::Key(k) => k.to_owned(),
        Segment::Index(i) => format!("[{i}]"),
    };
    match path {
        Some(p) if p.starts_with('[') => format!("{FIELD_PREFIX}{head}{p}: {reason}"),
        Some(p) => format!("{FIELD_PREFIX}{head}.{p}: {reason}"),
        None => format!("{FIELD_PREFIX}{head}: {reason}"),
    }
}

/// `text` without a trailing ` at line N column M`.
fn strip_position(text: &str) -> &str {
    let Some(at) = text.rfind(" at line ") else {
        return text;
    };
    let tail = &text[at + " at line ".len()..];
    let well_formed = tail.split_once(" column ").is_some_and(|(l, c)| {
        !l.is_empty() && !c.is_empty() && (l.chars().chain(c.chars())).all(|ch| ch.is_ascii_digit())
    });
    if well_formed {
        &text[..at]
    } else {
        text
    }
}

#[inline(never)]
fn expect_object(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "an object ({name})")
}

/// The body of a generated structure's `Deserialize::deserialize`: a JSON object, unknown keys skipped,
/// missing keys left `None`.
///
/// # Errors
/// When the value is not an object, or a field cannot be decoded.
pub fn decode_struct<'de, D: Deserializer<'de>, T: DecodeFields>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(StructVisitor(PhantomData))
}

/// Skips the value of an unknown key.
///
/// # Errors
/// When the value is not well-formed.
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// The seed of an optional scalar, enum or structure field (and of each item of a list).
pub struct OptSeed<T>(PhantomData<T>);

impl<T> OptSeed<T> {
    /// The seed.
    pub fn new() -> Self {
        OptSeed(PhantomData)
    }
}

impl<T> Default for OptSeed<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for OptSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::lenient(d)
    }
}

/// The seed of a list field: bare (`de_list`) or wrapped in a one-key object (`de_wrapped`).
pub struct ListOf<T> {
    wrapped: bool,
    item: PhantomData<T>,
}

impl<T> ListOf<T> {
    /// A list the JSON holds directly (`"Data": [...]`).
    pub fn bare() -> Self {
        ListOf {
            wrapped: false,
            item: PhantomData,
        }
    }
    /// A list wrapped in a one-key object (`"Data": {"Domain": [...]}`).
    pub fn wrapped() -> Self {
        ListOf {
            wrapped: true,
            item: PhantomData,
        }
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for ListOf<T> {
    type Value = Option<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.wrapped {
            de_wrapped(d)
        } else {
            de_list(d)
        }
    }
}

/// Serializes a list inside its wrapper: `{"Domain": [...]}`.
pub struct Wrapped<'a, T>(pub &'static str, pub &'a [T]);

impl<T: Serialize> Serialize for Wrapped<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one<T: Lenient>(json: &str) -> Result<Option<T>, serde_json::Error> {
        let mut d = serde_json::Deserializer::from_str(json);
        T::lenient(&mut d)
    }

    fn wrapped<T: Lenient>(json: &str) -> Option<Vec<T>> {
        let mut d = serde_json::Deserializer::from_str(json);
        de_wrapped(&mut d).unwrap()
    }

    fn list_err<T: Lenient + fmt::Debug>(json: &str) -> String {
        let mut d = serde_json::Deserializer::from_str(json);
        de_list::<_, T>(&mut d).unwrap_err().to_string()
    }

    fn list<T: Lenient>(json: &str) -> Option<Vec<T>> {
        let mut d = serde_json::Deserializer::from_str(json);
        de_list(&mut d).unwrap()
    }

    #[test]
    fn numbers_and_booleans_arrive_as_strings() {
        assert_eq!(one::<i32>("\"42\"").unwrap(), Some(42));
        assert_eq!(one::<i64>("\"1522080000000\"").unwrap(), Some(1_522_080_000_000));
        assert_eq!(one::<i64>("3.0").unwrap(), Some(3));
        assert_eq!(one::<i32>("\"\"").unwrap(), None);
        assert_eq!(one::<bool>("\"true\"").unwrap(), Some(true));
        assert_eq!(one::<bool>("\"False\"").unwrap(), Some(false));
        assert_eq!(one::<bool>("1").unwrap(), Some(true));
        assert_eq!(one::<f64>("\"1.5\"").unwrap(), Some(1.5));
        assert_eq!(one::<String>("12").unwrap(), Some("12".to_owned()));
        assert_eq!(one::<String>("true").unwrap(), Some("true".to_owned()));
        assert_eq!(one::<String>("null").unwrap(), None);
    }

    #[test]
    fn out_of_range_numbers_are_errors_never_a_different_value() {
        for json in [
            "\"99999999999999999999999\"",
            "\"9223372036854775808.0\"",
            "9223372036854775808",
            "1e19",
            "\"-9223372036854775809\"",
        ] {
            assert!(one::<i64>(json).is_err(), "{json}");
        }
        assert_eq!(one::<i64>("\"9223372036854775807\"").unwrap(), Some(i64::MAX));
        assert_eq!(one::<i64>("\"-9223372036854775808\"").unwrap(), Some(i64::MIN));
        assert_eq!(one::<i64>("\"12.000\"").unwrap(), Some(12));
        assert!(one::<i64>("\"9007199254740993.0\"").is_ok_and(|n| n == Some(9_007_199_254_740_993)));
        assert!(
            one::<i64>("9007199254740994.0").is_err(),
            "a float beyond 2^53 may stand for another integer"
        );
        assert_eq!(one::<i64>("\"1e3\"").unwrap(), Some(1000));
        assert!(one::<i32>("\"2147483648\"").is_err());
        assert!(one::<i32>("2147483648.0").is_err());
        assert_eq!(one::<i32>("2147483647.0").unwrap(), Some(i32::MAX));
    }

    #[test]
    fn errors_name_the_path_once_with_one_position() {
        assert_eq!(
            path_message(Segment::Key("Price"), "invalid value: x at line 1 column 9"),
            "field Price: invalid value: x"
        );
        assert_eq!(
            path_message(Segment::Index(2), "field Price: invalid value: x"),
            "field [2].Price: invalid value: x"
        );
        assert_eq!(
            path_message(Segment::Key("Domain"), "field [2].Price: bad"),
            "field Domain[2].Price: bad"
        );
        assert_eq!(strip_position("a at line x column 2"), "a at line x column 2");
    }

    #[test]
    fn bad_scalars_are_errors_not_panics() {
        assert!(one::<i32>("\"abc\"").is_err());
        assert!(one::<i32>("4294967296").is_err());
        assert!(one::<bool>("\"maybe\"").is_err());
        assert!(one::<i32>("[1]").is_err());
    }

    #[test]
    fn lists_arrive_bare_wrapped_or_alone() {
        assert_eq!(
            wrapped::<String>(r#"{"Dns": ["a", "b"]}"#),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(wrapped::<String>(r#"{"Dns": "a"}"#), Some(vec!["a".to_owned()]));
        assert_eq!(wrapped::<String>(r#"["a"]"#), Some(vec!["a".to_owned()]));
        assert_eq!(wrapped::<String>(r#"{}"#), Some(vec![]));
        assert_eq!(wrapped::<String>("null"), None);
        assert_eq!(list::<i32>(r#"[1, "2", null]"#), Some(vec![1, 2]));
        assert_eq!(list::<i32>("7"), Some(vec![7]));
        #[derive(Debug, Default, PartialEq)]
        struct Item {
            n: Option<i32>,
        }
        impl DecodeFields for Item {
            const NAME: &'static str = "Item";
            fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                match key {
                    "n" => self.n = map.next_value_seed(OptSeed::new())?,
                    _ => skip_value(map)?,
                }
                Ok(())
            }
        }
        decode_via_fields!(Item);
        let item = |n| Item { n: Some(n) };
        assert_eq!(list::<Item>(r#"{"n": 1}"#), Some(vec![item(1)]));
        assert_eq!(wrapped::<Item>(r#"{"Item": {"n": 2}}"#), Some(vec![item(2)]));
        assert_eq!(
            list::<Item>(r#"[{"n": 3, "other": [1, {"x": null}]}, null]"#),
            Some(vec![item(3)])
        );
        assert_eq!(
            list::<Item>(r#"[{"n": "4"}, {}]"#),
            Some(vec![item(4), Item::default()])
        );
        let err = list_err::<Item>(r#"[{"n": {"deep": 1}}]"#);
        assert!(err.contains("an integer"), "{err}");
        assert!(err.starts_with("field [0].n: invalid type: map"), "{err}");
        assert_eq!(err.matches(" at line ").count(), 1, "{err}");
        let err = list_err::<Item>(r#"[[1, 2]]"#);
        assert!(err.contains("an object (Item)"), "{err}");
    }
}
