//! What a mock rule looks at: a signed request read back from the wire into its action and parameters (the
//! query and the form body; under signature v3 the action comes from `x-acs-action`), readers that give a
//! parameter typed (a number, a flag, a `Name.N` list, `Name.N.Field` items), and the comparison of a request
//! with an example input built with the SDK's own builders.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use domain_sdk::__private::BuildRequest;
use domain_sdk::HttpRequest;

use crate::request::{RecordedRequest, Verdict};
use crate::sig;
use crate::validate::list_index;

/// An action's own parameters as one request carried them (the common ones — `Action`, `Signature`, … — left
/// out), with readers that parse them: what a rule's predicate ([`RuleBuilder::when`](super::RuleBuilder::when))
/// and a computed answer ([`RuleBuilder::reply_fn`](super::RuleBuilder::reply_fn)) receive.
///
/// The names are the wire names the SDK documents on every setter (`Wire name: DomainName`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Params {
    action: String,
    values: BTreeMap<String, String>,
}

impl Params {
    /// Parameters of `action` with these wire names and values (to test a predicate of yours by itself).
    pub fn new<K: Into<String>, V: Into<String>>(action: &str, params: impl IntoIterator<Item = (K, V)>) -> Params {
        Params {
            action: action.to_owned(),
            values: params.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }

    /// The action's own parameters of a request the mock received.
    pub(crate) fn of(action: &str, request: &RecordedRequest) -> Params {
        Params {
            action: action.to_owned(),
            values: request.action_params(),
        }
    }

    /// The action (`CheckDomain`).
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The value of parameter `name`, as sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether parameter `name` was sent with exactly `value`.
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == Some(value)
    }

    /// The value of parameter `name` parsed as a `T` (`p.parse::<i32>("PageSize")`); `None` when it was not sent
    /// or does not parse.
    pub fn parse<T: FromStr>(&self, name: &str) -> Option<T> {
        self.get(name)?.parse().ok()
    }

    /// A Boolean parameter (`true` or `false`, in any case); `None` when it was not sent or is neither.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            value if value.eq_ignore_ascii_case("true") => Some(true),
            value if value.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The items of list parameter `name` (`DomainName.1`, `DomainName.2`, …), in the order of their numbers.
    pub fn list(&self, name: &str) -> Vec<&str> {
        let mut items: Vec<(u32, &str)> = self
            .values
            .iter()
            .filter_map(|(key, value)| match list_index(key, name) {
                Some((index, "")) => Some((index, value.as_str())),
                _ => None,
            })
            .collect();
        items.sort_by_key(|(index, _)| *index);
        items.into_iter().map(|(_, value)| value).collect()
    }

    /// The structures of list parameter `name` (`OrderActivateParam.1.DomainName`, …), in the order of their
    /// numbers: each maps a field's wire name to its value.
    pub fn items(&self, name: &str) -> Vec<BTreeMap<&str, &str>> {
        let mut items: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
        for (key, value) in &self.values {
            if let Some((index, tail)) = list_index(key, name) {
                if let Some(field) = tail.strip_prefix('.') {
                    items.entry(index).or_default().insert(field, value);
                }
            }
        }
        items.into_values().collect()
    }

    /// Every parameter, by wire name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether this request carries every parameter `example` sets, with the same value (it may carry more).
    /// An example of another action, or one that cannot be sent (a required parameter unset), matches nothing.
    pub fn includes(&self, example: &impl MockInput) -> bool {
        match example.wire_params() {
            Ok((action, params)) => action == self.action && params.iter().all(|(k, v)| self.is(k, v)),
            Err(_) => false,
        }
    }

    /// `DomainName=a.com, PageSize=10`, for messages.
    pub(crate) fn describe(&self) -> String {
        if self.values.is_empty() {
            return "no parameters".to_owned();
        }
        let pairs: Vec<String> = self.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.join(", ")
    }
}

/// Wire parameters, by name, in the order the SDK writes them.
pub type WireParams = Vec<(String, String)>;

/// An input type of the SDK (`CheckDomainInput`, …): what [`RuleBuilder::match_input`](super::RuleBuilder::match_input)
/// compares requests with, by the wire parameters the SDK would send for it. Implemented for every `…Input` of
/// `domain-sdk`; there is nothing to implement yourself.
pub trait MockInput: fmt::Debug + Send + Sync + 'static {
    /// The action and the wire parameters this input is sent with, or why it cannot be sent (a required
    /// parameter it lacks).
    ///
    /// # Errors
    /// The SDK's refusal of the input, in words.
    fn wire_params(&self) -> Result<(&'static str, WireParams), String>;
}

impl<T: BuildRequest + fmt::Debug + Send + Sync + 'static> MockInput for T {
    fn wire_params(&self) -> Result<(&'static str, WireParams), String> {
        let request = self.build_request().map_err(|e| e.to_string())?;
        let params = request
            .params()
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Ok((request.action(), params))
    }
}

/// Reads a signed request back as the server would have recorded it: the URL's path and query, the headers
/// (names in lower case) and the form body. `Err` says what could not be read (bad percent-encoding); the
/// record then has no parameters.
pub(crate) fn record(request: &HttpRequest) -> (RecordedRequest, Result<(), String>) {
    let after_origin = request.url.get(request.origin().len()..).unwrap_or_default();
    let (path, query_text) = after_origin.split_once('?').unwrap_or((after_origin, ""));
    let query_text = query_text.split('#').next().unwrap_or_default();
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect();
    let body_text = request.body.as_deref().unwrap_or_default();
    let parsed = sig::parse_pairs(query_text).and_then(|query| sig::parse_pairs(body_text).map(|body| (query, body)));
    let (status, (query, body)) = match parsed {
        Ok(pairs) => (Ok(()), pairs),
        Err(why) => (Err(why), Default::default()),
    };
    let header = |name: &str| request.header(name).map(str::to_owned);
    // The SDK's own transport adds the form's content type on the wire; a transport sees the body alone.
    let content_type = header("content-type").or_else(|| {
        request
            .body
            .as_ref()
            .map(|_| "application/x-www-form-urlencoded".to_owned())
    });
    let record = RecordedRequest {
        method: request.method.as_str().to_owned(),
        path: if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        },
        user_agent: header("user-agent"),
        headers,
        query,
        body,
        body_len: body_text.len(),
        content_type,
        verdict: Verdict::Accepted,
        received: tokio::time::Instant::now(),
    };
    (record, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Params {
        Params::new(
            "SaveBatchTaskForCreatingOrderActivate",
            [
                ("DomainName.2", "b.com"),
                ("DomainName.10", "j.com"),
                ("DomainName.1", "a.com"),
                ("OrderActivateParam.2.DomainName", "y.com"),
                ("OrderActivateParam.1.DomainName", "x.com"),
                ("OrderActivateParam.1.SubscriptionDuration", "2"),
                ("PageSize", "20"),
                ("AliyunDns", "TRUE"),
                ("Lang", "en"),
            ],
        )
    }

    #[test]
    fn lists_come_in_the_order_of_their_numbers_and_items_group_their_fields() {
        let p = params();
        assert_eq!(p.list("DomainName"), ["a.com", "b.com", "j.com"]);
        assert!(p.list("Domain").is_empty(), "a prefix of a name is not the name");
        let items = p.items("OrderActivateParam");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].get("DomainName"), Some(&"x.com"));
        assert_eq!(items[0].get("SubscriptionDuration"), Some(&"2"));
        assert_eq!(items[1].get("DomainName"), Some(&"y.com"));
        assert_eq!(items[1].get("SubscriptionDuration"), None);
    }

    #[test]
    fn scalars_read_typed_and_say_none_for_what_is_missing_or_malformed() {
        let p = params();
        assert_eq!(p.parse::<i32>("PageSize"), Some(20));
        assert_eq!(p.parse::<i32>("Lang"), None);
        assert_eq!(p.parse::<i32>("PageNum"), None);
        assert_eq!(p.flag("AliyunDns"), Some(true));
        assert_eq!(p.flag("Lang"), None);
        assert!(p.is("Lang", "en") && !p.is("Lang", "zh"));
        assert_eq!(p.action(), "SaveBatchTaskForCreatingOrderActivate");
        assert_eq!(Params::new("X", [("B", "2"), ("A", "1")]).describe(), "A=1, B=2");
        assert_eq!(Params::new::<&str, &str>("X", []).describe(), "no parameters");
    }
}
