//! What generated code hands the runtime: an action's wire parameters, laid out and checked.

use std::borrow::Cow;

use crate::error::{Error, ErrorInfo};

/// HTTP methods an action accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl HttpMethod {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// A value that can be sent as a wire parameter.
pub trait WireValue {
    /// The value as sent (`true`, `42`, `en`).
    fn to_wire(&self) -> Cow<'_, str>;
}

impl WireValue for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl WireValue for str {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl WireValue for bool {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! wire_number {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
wire_number!(i32, i64, f64);

/// An element of a list of structures, written as `List.<n>.<Field>`.
pub trait WriteStruct {
    /// Writes every set field through `writer`.
    ///
    /// # Errors
    /// A required field that is not set.
    fn write(&self, writer: &mut StructWriter<'_>) -> Result<(), Error>;
}

/// Writes the fields of one element of a list of structures.
pub struct StructWriter<'a> {
    request: &'a mut OperationRequest,
    prefix: String,
}

impl StructWriter<'_> {
    /// Writes `prefix.field` if set; a required field that is not set is an error naming it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a missing required field.
    pub fn field<V: WireValue + ?Sized>(
        &mut self,
        field: &str,
        value: Option<&V>,
        required: bool,
    ) -> Result<(), Error> {
        let name = format!("{}.{field}", self.prefix);
        self.request.push_checked(Cow::Owned(name), value, required)
    }
}

/// The input type of an operation's fluent builder (for tools that work on a builder's type, such as mocks).
pub trait HasInput {
    /// The `…Input` the builder fills.
    type Input;
}

/// How a generated input becomes wire parameters: required parameters checked, lists laid out as `X.N` and
/// `X.N.Field`. Implemented by every `…Input`; generated code calls it, users send through the builders.
pub trait BuildRequest {
    /// The input as one call's wire parameters.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the first missing required parameter.
    fn build_request(&self) -> Result<OperationRequest, Error>;
}

/// One call's action, version and wire parameters (common parameters excluded).
#[derive(Debug, Clone)]
pub struct OperationRequest {
    action: &'static str,
    version: &'static str,
    methods: &'static [HttpMethod],
    idempotent: bool,
    global_errors: &'static [ErrorInfo],
    defaults: &'static [&'static str],
    params: Vec<(Cow<'static, str>, String)>,
}

impl OperationRequest {
    /// An empty request for `action` of API `version`.
    pub fn new(
        action: &'static str,
        version: &'static str,
        methods: &'static [HttpMethod],
        idempotent: bool,
        global_errors: &'static [ErrorInfo],
    ) -> Self {
        OperationRequest {
            action,
            version,
            methods,
            idempotent,
            global_errors,
            defaults: &[],
            params: Vec::new(),
        }
    }

    /// Declares which client-wide defaults (`Lang`, `UserClientIp`, …) this action takes.
    pub fn accept_defaults(&mut self, names: &'static [&'static str]) {
        self.defaults = names;
    }

    /// The client-wide defaults this action takes.
    pub fn accepted_defaults(&self) -> &'static [&'static str] {
        self.defaults
    }

    /// The documented global error with this code, if any.
    pub fn global_error(&self, code: &str) -> Option<&'static ErrorInfo> {
        self.global_errors.iter().find(|e| e.code == code)
    }

    /// The action's name.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The API version.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// Whether a retry after an ambiguous failure is harmless.
    pub fn idempotent(&self) -> bool {
        self.idempotent
    }

    /// The method to use: POST when allowed (parameters travel in the body), else GET.
    pub fn method(&self) -> HttpMethod {
        if self.methods.contains(&HttpMethod::Post) {
            HttpMethod::Post
        } else {
            HttpMethod::Get
        }
    }

    /// The action's wire parameters, to change (an interceptor's `before_signing`).
    pub fn params_mut(&mut self) -> &mut Vec<(Cow<'static, str>, String)> {
        &mut self.params
    }

    /// The action's wire parameters, in the order they were written.
    pub fn params(&self) -> &[(Cow<'static, str>, String)] {
        &self.params
    }

    fn missing(&self, name: &str) -> Error {
        Error::InvalidRequest {
            action: self.action,
            parameter: name.to_owned(),
            reason: "is required but not set".to_owned(),
        }
    }

    fn push_checked<V: WireValue + ?Sized>(
        &mut self,
        name: Cow<'static, str>,
        value: Option<&V>,
        required: bool,
    ) -> Result<(), Error> {
        match value.map(|v| v.to_wire()) {
            Some(v) if !v.is_empty() => {
                self.params.push((name, v.into_owned()));
                Ok(())
            }
            _ if required => Err(self.missing(&name)),
            _ => Ok(()),
        }
    }

    /// Writes a scalar parameter; unset and empty values are not sent.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `required` and the value is unset or empty.
    pub fn scalar<V: WireValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&V>,
        required: bool,
    ) -> Result<(), Error> {
        self.push_checked(Cow::Borrowed(name), value, required)
    }

    /// Writes a plain list as `name.1`, `name.2`, …
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `required` and the list is unset or empty.
    pub fn list<V: WireValue>(
        &mut self,
        name: &'static str,
        values: Option<&[V]>,
        required: bool,
    ) -> Result<(), Error> {
        let values = values.unwrap_or_default();
        if values.is_empty() && required {
            return Err(self.missing(&format!("{name}.N")));
        }
        for (i, v) in values.iter().enumerate() {
            self.push_checked(Cow::Owned(format!("{name}.{}", i + 1)), Some(v), false)?;
        }
        Ok(())
    }

    /// Writes a list of structures as `name.1.Field`, `name.2.Field`, …
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `required` and the list is empty, or an item lacks a required field.
    pub fn structs<T: WriteStruct>(
        &mut self,
        name: &'static str,
        items: Option<&[T]>,
        required: bool,
    ) -> Result<(), Error> {
        let items = items.unwrap_or_default();
        if items.is_empty() && required {
            return Err(self.missing(&format!("{name}.N")));
        }
        for (i, item) in items.iter().enumerate() {
            let mut writer = StructWriter {
                request: self,
                prefix: format!("{name}.{}", i + 1),
            };
            item.write(&mut writer)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        name: Option<String>,
        flag: Option<bool>,
    }

    impl WriteStruct for Item {
        fn write(&self, w: &mut StructWriter<'_>) -> Result<(), Error> {
            w.field("Name", self.name.as_ref(), true)?;
            w.field("Flag", self.flag.as_ref(), false)
        }
    }

    fn names(r: &OperationRequest) -> Vec<String> {
        r.params().iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    #[test]
    fn lays_out_scalars_lists_and_structures() {
        let mut r = OperationRequest::new("A", "2018-01-29", &[HttpMethod::Get, HttpMethod::Post], true, &[]);
        r.scalar("PageNum", Some(&1i32), true).unwrap();
        r.scalar::<String>("Unset", None, false).unwrap();
        r.scalar("Empty", Some(&String::new()), false).unwrap();
        r.list("DomainName", Some(&["a.com".to_owned(), "b.com".to_owned()][..]), true)
            .unwrap();
        let items = [
            Item {
                name: Some("x".into()),
                flag: Some(true),
            },
            Item {
                name: Some("y".into()),
                flag: None,
            },
        ];
        r.structs("P", Some(&items[..]), true).unwrap();
        assert_eq!(
            names(&r),
            [
                "PageNum=1",
                "DomainName.1=a.com",
                "DomainName.2=b.com",
                "P.1.Name=x",
                "P.1.Flag=true",
                "P.2.Name=y"
            ]
        );
        assert_eq!(r.method(), HttpMethod::Post);
    }

    #[test]
    fn missing_required_parameters_are_named() {
        let mut r = OperationRequest::new("A", "v", &[HttpMethod::Get], true, &[]);
        let e = r.scalar::<String>("PageNum", None, true).unwrap_err();
        assert!(e.to_string().contains("PageNum"), "{e}");
        let e = r.list::<String>("DomainName", Some(&[]), true).unwrap_err();
        assert!(e.to_string().contains("DomainName.N"), "{e}");
        let items = [
            Item {
                name: Some("x".into()),
                flag: None,
            },
            Item { name: None, flag: None },
        ];
        let e = r.structs("P", Some(&items[..]), false).unwrap_err();
        assert!(e.to_string().contains("P.2.Name"), "{e}");
        assert_eq!(r.method(), HttpMethod::Get);
    }
}
