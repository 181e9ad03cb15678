//! The way back from wire parameters to a typed input (`DomainName.1=a.com` → `CheckDomainInput`), the reverse
//! of [`BuildRequest`](crate::__private::BuildRequest): what lets a mock match a request on its typed input.
//! Generated for every input with the `test-util` feature, which `domain-sdk-test-server` turns on.

use std::borrow::Cow;

/// A value read back from its wire text (`true`, `42`, `en`).
pub trait FromWire: Sized {
    /// The value, or `None` when `text` is not one.
    fn from_wire(text: &str) -> Option<Self>;
}

impl FromWire for String {
    fn from_wire(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl FromWire for bool {
    fn from_wire(text: &str) -> Option<Self> {
        match text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

macro_rules! from_wire_number {
    ($($t:ty),*) => {$(
        impl FromWire for $t {
            fn from_wire(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}
from_wire_number!(i32, i64, f64);

/// A request's wire parameters, read by name.
#[derive(Debug, Clone)]
pub struct ParamReader<'a> {
    params: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> ParamReader<'a> {
    /// Reads these name–value pairs (a name sent twice: the first counts).
    pub fn new<K, V>(params: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<Cow<'a, str>>,
        V: Into<Cow<'a, str>>,
    {
        ParamReader {
            params: params.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_ref())
    }

    fn parse<V: FromWire>(&self, name: &str) -> Result<Option<V>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => V::from_wire(text)
                .map(Some)
                .ok_or_else(|| format!("{name}={text:?} is not a {}", short_type_name::<V>())),
        }
    }

    /// Parameter `name`, if sent.
    ///
    /// # Errors
    /// Its text is not a value of the type.
    pub fn scalar<V: FromWire>(&self, name: &str) -> Result<Option<V>, String> {
        self.parse(name)
    }

    /// The list `name.1`, `name.2`, … (up to the first number not sent), if any item was sent.
    ///
    /// # Errors
    /// An item's text is not a value of the type.
    pub fn list<V: FromWire>(&self, name: &str) -> Result<Option<Vec<V>>, String> {
        let mut items = Vec::new();
        while let Some(item) = self.parse(&format!("{name}.{}", items.len() + 1))? {
            items.push(item);
        }
        Ok((!items.is_empty()).then_some(items))
    }

    /// The list of structures `name.1.Field`, `name.2.Field`, … (up to the first number with no field sent),
    /// if any was sent.
    ///
    /// # Errors
    /// A field's text is not a value of its type.
    pub fn structs<T: ReadStruct>(&self, name: &str) -> Result<Option<Vec<T>>, String> {
        let mut items = Vec::new();
        loop {
            let prefix = format!("{name}.{}.", items.len() + 1);
            if !self.params.iter().any(|(k, _)| k.starts_with(&prefix)) {
                break;
            }
            items.push(T::read(&ItemReader { params: self, prefix })?);
        }
        Ok((!items.is_empty()).then_some(items))
    }
}

/// The fields of one element of a list of structures (`List.<n>.<Field>`).
#[derive(Debug)]
pub struct ItemReader<'r, 'a> {
    params: &'r ParamReader<'a>,
    prefix: String,
}

impl ItemReader<'_, '_> {
    /// Field `field` of the element, if sent.
    ///
    /// # Errors
    /// Its text is not a value of the type.
    pub fn field<V: FromWire>(&self, field: &str) -> Result<Option<V>, String> {
        self.params.parse(&format!("{}{field}", self.prefix))
    }
}

/// An element of a list of structures, read back from its fields.
pub trait ReadStruct: Sized {
    /// The element.
    ///
    /// # Errors
    /// A field's text is not a value of its type.
    fn read(item: &ItemReader<'_, '_>) -> Result<Self, String>;
}

/// An input read back from the wire parameters of its request.
pub trait ReadRequest: Sized {
    /// The action whose input this is.
    const ACTION: &'static str;
    /// The input the parameters describe (parameters it does not know are ignored).
    ///
    /// # Errors
    /// A parameter's text is not a value of its type.
    fn read_request(params: &ParamReader<'_>) -> Result<Self, String>;
}

fn short_type_name<V>() -> &'static str {
    let full = std::any::type_name::<V>();
    full.rsplit("::").next().unwrap_or(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Item {
        name: Option<String>,
        years: Option<i32>,
    }

    impl ReadStruct for Item {
        fn read(item: &ItemReader<'_, '_>) -> Result<Self, String> {
            Ok(Item {
                name: item.field("Name")?,
                years: item.field("Years")?,
            })
        }
    }

    #[test]
    fn scalars_lists_and_lists_of_structures_read_back() {
        let params = ParamReader::new([
            ("Flag", "true"),
            ("Size", "20"),
            ("Domain.1", "a.com"),
            ("Domain.2", "b.com"),
            ("Domain.4", "skipped: not contiguous"),
            ("Param.1.Name", "a.com"),
            ("Param.1.Years", "2"),
            ("Param.2.Name", "b.com"),
        ]);
        assert_eq!(params.scalar::<bool>("Flag"), Ok(Some(true)));
        assert_eq!(params.scalar::<i32>("Size"), Ok(Some(20)));
        assert_eq!(params.scalar::<String>("Absent"), Ok(None));
        assert_eq!(
            params.list::<String>("Domain"),
            Ok(Some(vec!["a.com".to_owned(), "b.com".to_owned()]))
        );
        assert_eq!(params.list::<String>("None"), Ok(None));
        assert_eq!(
            params.structs::<Item>("Param"),
            Ok(Some(vec![
                Item {
                    name: Some("a.com".into()),
                    years: Some(2)
                },
                Item {
                    name: Some("b.com".into()),
                    years: None
                },
            ]))
        );
        let bad = ParamReader::new([("Size", "twenty"), ("P.1.Years", "x")]);
        assert_eq!(
            bad.scalar::<i32>("Size"),
            Err("Size=\"twenty\" is not a i32".to_owned())
        );
        assert!(bad.structs::<Item>("P").unwrap_err().contains("P.1.Years"));
    }
}
