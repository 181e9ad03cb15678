//! A fake of the identity services that trade one credential for another: the CloudSSO portal and the OAuth
//! service, on one loopback port, for offline tests of a credential chain.
//!
//! [`IdentityFake`] binds `127.0.0.1:0` and answers three endpoints:
//!
//! | Endpoint | Plays | Takes | Gives |
//! |---|---|---|---|
//! | `POST /cloud-credentials` | the CloudSSO portal | a CloudSSO access token (bearer) and an account with an access configuration (JSON) | STS credentials |
//! | `POST /v1/token` | the OAuth service (CN and INTL sites alike) | a refresh token and a client id (form) | a new access token and a new refresh token |
//! | `POST /v1/exchange` | the OAuth service | an OAuth access token (bearer) | STS credentials |
//!
//! Every issue hands out values never seen before (`STS.sso-1`, then `STS.sso-2`, …), so a test can tell a
//! refresh from a cached answer. Failures can be scripted per path ([`IdentityFake::fail_next`]), and the
//! fake can turn hostile and repeat the secrets it received in its error bodies
//! ([`IdentityFake::echo_secrets`]), for tests that prove the client never shows them. Everything received is
//! recorded ([`IdentityFake::requests`]). Every other path answers 404.
//!
//! ```
//! use domain_sdk_test_server::identity::IdentityFake;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let fake = IdentityFake::start().await;
//! // What a CLI profile stores as its CloudSSO sign-in URL; a client posts to `/cloud-credentials` on its host.
//! let sign_in = fake.cloud_sso_sign_in_url();
//! assert_eq!(sign_in, format!("{}/start/login", fake.endpoint()));
//! // The OAuth client is pointed at the fake's root; seed the tokens a profile would hold.
//! fake.oauth_tokens("my-access-token", std::time::Duration::ZERO, Some("my-refresh-token"));
//! assert_eq!(fake.oauth_base_url(), fake.endpoint());
//! assert_eq!(fake.issued().cloud_sso, 0);
//! # }
//! ```

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::shared::lock;

/// The path of the CloudSSO portal's credential endpoint.
pub const CLOUD_SSO_CREDENTIALS_PATH: &str = "/cloud-credentials";
/// The path of the OAuth service's token endpoint (refresh grant).
pub const OAUTH_TOKEN_PATH: &str = "/v1/token";
/// The path of the OAuth service's exchange endpoint (access token for STS credentials).
pub const OAUTH_EXCHANGE_PATH: &str = "/v1/exchange";
/// The OAuth client id of the China site's application, one of the two the token endpoint accepts.
pub const OAUTH_CLIENT_ID_CN: &str = "4038181954557748008";
/// The OAuth client id of the international site's application, the other one the token endpoint accepts.
pub const OAUTH_CLIENT_ID_INTL: &str = "4103531455503354461";
/// The CloudSSO access token the portal accepts until [`IdentityFake::cloud_sso_access_token`] says otherwise.
pub const DEFAULT_CLOUD_SSO_ACCESS_TOKEN: &str = "sso-access-token";
/// The account the CloudSSO portal grants until [`IdentityFake::cloud_sso_account`] says otherwise.
pub const DEFAULT_CLOUD_SSO_ACCOUNT_ID: &str = "1234567890";
/// The access configuration the CloudSSO portal grants until [`IdentityFake::cloud_sso_account`] says otherwise.
pub const DEFAULT_CLOUD_SSO_ACCESS_CONFIG_ID: &str = "ac-test";

/// The lifetime of what the fake issues until told otherwise: one hour.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// One request the fake received, whatever its path and whatever the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRequest {
    /// The method, `POST` for the three endpoints.
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The query string without its `?`, empty if there was none.
    pub query: String,
    /// Every header in the order received, names in lower case (the bearer tokens included: this is a record
    /// for tests).
    pub headers: Vec<(String, String)>,
    /// The body as text (bytes that are not UTF-8 replaced).
    pub body: String,
}

impl IdentityRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The token of an `Authorization: Bearer <token>` header.
    pub fn bearer_token(&self) -> Option<&str> {
        self.header("authorization").and_then(bearer)
    }

    /// The decoded value of field `name` of a form body (`a=1&b=2`); `None` if absent or not decodable.
    pub fn form_param(&self, name: &str) -> Option<String> {
        parse_form(&self.body)?
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}

/// How many credentials the fake issued, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Issued {
    /// STS credentials from the CloudSSO portal (`POST /cloud-credentials` answered 200).
    pub cloud_sso: usize,
    /// Access token and refresh token pairs from the OAuth token endpoint (`POST /v1/token` answered 200).
    pub oauth_tokens: usize,
    /// STS credentials from the OAuth exchange endpoint (`POST /v1/exchange` answered 200).
    pub oauth_exchanges: usize,
}

/// What the fake knows and has seen; one lock guards it all.
struct Inner {
    sso_access_tokens: Vec<String>,
    sso_account_id: String,
    sso_access_config_id: String,
    /// Valid OAuth access tokens and when each stops being valid (`None`: born expired).
    oauth_access: HashMap<String, Option<SystemTime>>,
    oauth_refresh: HashSet<String>,
    credentials_lifetime: Duration,
    oauth_access_lifetime: Duration,
    /// Per path, the statuses of the scripted failures still to answer, in order.
    failures: HashMap<String, VecDeque<u16>>,
    echo_secrets: bool,
    requests: Vec<IdentityRequest>,
    client_ids: Vec<String>,
    issued: Issued,
    request_serial: u64,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            sso_access_tokens: vec![DEFAULT_CLOUD_SSO_ACCESS_TOKEN.to_owned()],
            sso_account_id: DEFAULT_CLOUD_SSO_ACCOUNT_ID.to_owned(),
            sso_access_config_id: DEFAULT_CLOUD_SSO_ACCESS_CONFIG_ID.to_owned(),
            oauth_access: HashMap::new(),
            oauth_refresh: HashSet::new(),
            credentials_lifetime: DEFAULT_LIFETIME,
            oauth_access_lifetime: DEFAULT_LIFETIME,
            failures: HashMap::new(),
            echo_secrets: false,
            requests: Vec::new(),
            client_ids: Vec::new(),
            issued: Issued::default(),
            request_serial: 0,
        }
    }
}

/// A running fake of the CloudSSO portal and the OAuth service; stops when dropped.
///
/// Its settings take `&self`, so a test can change them while a client is using the fake. Its `Debug` output
/// shows the endpoint and the counts, never a token.
pub struct IdentityFake {
    address: SocketAddr,
    state: Arc<Mutex<Inner>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for IdentityFake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for IdentityFake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("IdentityFake")
            .field("endpoint", &self.endpoint())
            .field("requests", &state.requests.len())
            .field("issued", &state.issued)
            .finish_non_exhaustive()
    }
}

impl IdentityFake {
    /// Starts the fake on `127.0.0.1:0`, in its initial state: the CloudSSO portal accepts the access token
    /// [`DEFAULT_CLOUD_SSO_ACCESS_TOKEN`] for account [`DEFAULT_CLOUD_SSO_ACCOUNT_ID`] with access configuration
    /// [`DEFAULT_CLOUD_SSO_ACCESS_CONFIG_ID`]; the OAuth service knows no token at all (seed them with
    /// [`IdentityFake::oauth_tokens`]); what it issues lives one hour; no failure is scripted; error bodies
    /// repeat no secret.
    ///
    /// Call it inside a Tokio runtime: the server runs on a task of it.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start() -> IdentityFake {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind a loopback port");
        let address = listener.local_addr().expect("bound address");
        let state: Arc<Mutex<Inner>> = Arc::default();
        let task = crate::shared::serve(listener, state.clone(), |state, request| async move {
            Ok::<_, Infallible>(handle(&state, request).await)
        });
        IdentityFake { address, state, task }
    }

    /// `http://127.0.0.1:<port>`
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `http://127.0.0.1:<port>/start/login`: a CloudSSO sign-in URL as a CLI profile stores it. A client keeps
    /// its scheme and host only and posts to `/cloud-credentials` there.
    pub fn cloud_sso_sign_in_url(&self) -> String {
        format!("{}/start/login", self.endpoint())
    }

    /// The root URL to point an OAuth client at (the fake's endpoint; one fake plays both sites).
    pub fn oauth_base_url(&self) -> String {
        self.endpoint()
    }

    /// Makes `token` the only CloudSSO access token the portal accepts (those accepted before, the default
    /// one included, are refused from now on).
    pub fn cloud_sso_access_token(&self, token: &str) {
        lock(&self.state).sso_access_tokens = vec![token.to_owned()];
    }

    /// Makes the portal accept `token` as well as the CloudSSO access tokens it accepted before.
    pub fn add_cloud_sso_access_token(&self, token: &str) {
        let mut state = lock(&self.state);
        if !state.sso_access_tokens.iter().any(|known| known == token) {
            state.sso_access_tokens.push(token.to_owned());
        }
    }

    /// The account and access configuration the portal grants credentials for (any other pair is answered
    /// 403 `NoPermission`).
    pub fn cloud_sso_account(&self, account_id: &str, access_config_id: &str) {
        let mut state = lock(&self.state);
        state.sso_account_id = account_id.to_owned();
        state.sso_access_config_id = access_config_id.to_owned();
    }

    /// Gives the OAuth service a valid access token that stops being valid `access_expires_in` from now
    /// (`Duration::ZERO`: already expired, which the exchange endpoint refuses), and, if given, a refresh
    /// token the token endpoint accepts once. Tokens seeded before stay valid. The OAuth service knows no token
    /// until this is called.
    pub fn oauth_tokens(&self, access_token: &str, access_expires_in: Duration, refresh_token: Option<&str>) {
        let mut state = lock(&self.state);
        state
            .oauth_access
            .insert(access_token.to_owned(), expiry(access_expires_in));
        if let Some(refresh_token) = refresh_token {
            state.oauth_refresh.insert(refresh_token.to_owned());
        }
    }

    /// How long the STS credentials issued from now on (by the CloudSSO portal and by the OAuth exchange) are
    /// valid, as their `Expiration` tells; one hour by default.
    pub fn credentials_lifetime(&self, lifetime: Duration) {
        lock(&self.state).credentials_lifetime = lifetime;
    }

    /// How long the OAuth access tokens issued from now on by the token endpoint are valid (their
    /// `expires_in`, and what the exchange endpoint enforces); one hour by default. `Duration::ZERO` issues
    /// tokens that are expired already.
    pub fn oauth_access_lifetime(&self, lifetime: Duration) {
        lock(&self.state).oauth_access_lifetime = lifetime;
    }

    /// Makes the next `count` requests to `path` (compared with the request's path without its query; any
    /// method) fail with `status` and a JSON error body, before the endpoint checks anything, so nothing is
    /// spent or issued; calls add up, failing in the order they were made. Then the endpoint answers as usual.
    ///
    /// The body has the shape of the service the path belongs to: `{"error": …, "error_description": …,
    /// "requestId": …}` under `/v1/`, `{"ErrorCode": …, "ErrorMessage": …, "RequestId": …}` elsewhere. The code
    /// follows the status: `Throttling` / `temporarily_unavailable` for 429, `ServiceUnavailable` /
    /// `server_error` for 5xx, `InvalidRequest` / `invalid_request` otherwise.
    ///
    /// # Panics
    /// If `status` is not an HTTP status code (100 to 999).
    pub fn fail_next(&self, path: &str, count: usize, status: u16) {
        assert!(
            StatusCode::from_u16(status).is_ok(),
            "{status} is not an HTTP status code"
        );
        lock(&self.state)
            .failures
            .entry(path.to_owned())
            .or_default()
            .extend(std::iter::repeat_n(status, count));
    }

    /// When on, every error body the fake writes repeats, verbatim, the bearer token and the refresh token the
    /// request carried, as a careless or hostile service might; a test can then prove the client never shows
    /// them. Off by default.
    pub fn echo_secrets(&self, on: bool) {
        lock(&self.state).echo_secrets = on;
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<IdentityRequest> {
        lock(&self.state).requests.clone()
    }

    /// How many credentials were issued so far, per kind.
    pub fn issued(&self) -> Issued {
        lock(&self.state).issued
    }

    /// The `client_id` of every request to the token endpoint that carried one, in order, accepted or not
    /// ([`OAUTH_CLIENT_ID_CN`] or [`OAUTH_CLIENT_ID_INTL`] tell which site the client meant).
    pub fn oauth_client_ids(&self) -> Vec<String> {
        lock(&self.state).client_ids.clone()
    }
}

/// When a token living `lifetime` from now expires; `None` for a zero lifetime (expired at birth, whatever the
/// clock's resolution).
fn expiry(lifetime: Duration) -> Option<SystemTime> {
    if lifetime.is_zero() {
        return None;
    }
    // A lifetime beyond what the clock holds never ends: a year past the far future will do.
    Some(
        SystemTime::now()
            .checked_add(lifetime)
            .unwrap_or_else(|| SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)),
    )
}

/// `now + lifetime` in UTC as the services write it: `2026-12-06T12:00:00Z`.
fn expiration(lifetime: Duration) -> String {
    let now = time::OffsetDateTime::now_utc();
    let at = time::Duration::try_from(lifetime)
        .ok()
        .and_then(|lifetime| now.checked_add(lifetime))
        .unwrap_or(time::macros::datetime!(9999-12-31 23:59:59 UTC));
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}

/// The token of an `Authorization` value `Bearer <token>` (scheme in any case); `None` for another scheme or an
/// empty token.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The fields of a form body, decoded (`+` is a space, `%XX` a byte); `None` if an escape or the decoded text
/// is invalid.
fn parse_form(body: &str) -> Option<Vec<(String, String)>> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(key)?, decode(value)?))
        })
        .collect()
}

/// One form component, decoded.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                at += 2;
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    String::from_utf8(out).ok()
}

/// A JSON answer.
fn json_response(status: u16, body: &Value, request_id: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    if let Ok(value) = hyper::header::HeaderValue::from_str(request_id) {
        headers.insert("x-acs-request-id", value);
    }
    response
}

/// Which service's error shape a path answers with.
#[derive(Clone, Copy)]
enum Shape {
    /// `{"ErrorCode", "ErrorMessage", "RequestId"}`.
    CloudSso,
    /// `{"error", "error_description", "requestId"}`.
    OAuth,
}

impl Shape {
    fn of(path: &str) -> Shape {
        if path.starts_with("/v1/") {
            Shape::OAuth
        } else {
            Shape::CloudSso
        }
    }
}

/// An answer being written: the request's id and, when the fake echoes secrets, what to repeat.
struct Answer<'a> {
    request_id: &'a str,
    echo: Option<String>,
}

impl Answer<'_> {
    /// An error in `shape`, the message followed by the request's secrets when the fake echoes them.
    fn error(&self, shape: Shape, status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
        let message = match &self.echo {
            Some(secrets) => format!("{message} ({secrets})"),
            None => message.to_owned(),
        };
        let body = match shape {
            Shape::CloudSso => json!({"ErrorCode": code, "ErrorMessage": message, "RequestId": self.request_id}),
            Shape::OAuth => json!({"error": code, "error_description": message, "requestId": self.request_id}),
        };
        json_response(status, &body, self.request_id)
    }
}

/// Reads a request whole, records it and answers it.
async fn handle(state: &Mutex<Inner>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let record = IdentityRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let mut state = lock(state);
    state.request_serial += 1;
    let serial = state.request_serial;
    let request_id = format!(
        "{:08X}-1D3E-4000-8000-{serial:012X}",
        (serial.wrapping_mul(0x9E37_79B9)) as u32
    );
    let echo = state.echo_secrets.then(|| secrets_of(&record));
    let answer = Answer {
        request_id: &request_id,
        echo,
    };
    let response = respond(&mut state, &record, &answer);
    state.requests.push(record);
    response
}

/// What a hostile service would repeat of a request: its bearer token and its refresh token, verbatim.
fn secrets_of(request: &IdentityRequest) -> String {
    let mut secrets = Vec::new();
    if let Some(authorization) = request.header("authorization") {
        secrets.push(format!("Authorization: {authorization}"));
    }
    if let Some(refresh_token) = request.form_param("refresh_token") {
        secrets.push(format!("refresh_token={refresh_token}"));
    }
    if secrets.is_empty() {
        "the request carried no secret".to_owned()
    } else {
        format!("the request carried {}", secrets.join(", "))
    }
}

/// The answer to `request`: a scripted failure, else the endpoint's.
fn respond(state: &mut Inner, request: &IdentityRequest, answer: &Answer<'_>) -> Response<Full<Bytes>> {
    let path = request.path.as_str();
    let shape = Shape::of(path);
    if let Some(status) = state.failures.get_mut(path).and_then(VecDeque::pop_front) {
        let code = match (shape, status) {
            (Shape::CloudSso, 429) => "Throttling",
            (Shape::OAuth, 429) => "temporarily_unavailable",
            (Shape::CloudSso, 500..) => "ServiceUnavailable",
            (Shape::OAuth, 500..) => "server_error",
            (Shape::CloudSso, _) => "InvalidRequest",
            (Shape::OAuth, _) => "invalid_request",
        };
        return answer.error(shape, status, code, "A failure the test scripted.");
    }
    let known = matches!(
        path,
        CLOUD_SSO_CREDENTIALS_PATH | OAUTH_TOKEN_PATH | OAUTH_EXCHANGE_PATH
    );
    if !known {
        let code = match shape {
            Shape::CloudSso => "NotFound",
            Shape::OAuth => "not_found",
        };
        return answer.error(shape, 404, code, "No such endpoint.");
    }
    if request.method != "POST" {
        let code = match shape {
            Shape::CloudSso => "MethodNotAllowed",
            Shape::OAuth => "invalid_request",
        };
        let mut response = answer.error(shape, 405, code, "The endpoint takes POST only.");
        response
            .headers_mut()
            .insert(hyper::header::ALLOW, hyper::header::HeaderValue::from_static("POST"));
        return response;
    }
    match path {
        CLOUD_SSO_CREDENTIALS_PATH => cloud_credentials(state, request, answer),
        OAUTH_TOKEN_PATH => oauth_token(state, request, answer),
        _ => oauth_exchange(state, request, answer),
    }
}

/// `POST /cloud-credentials`: a known bearer token (else 401), a JSON body naming the account and access
/// configuration (else 400), the granted pair (else 403); answers fresh STS credentials.
fn cloud_credentials(state: &mut Inner, request: &IdentityRequest, answer: &Answer<'_>) -> Response<Full<Bytes>> {
    let shape = Shape::CloudSso;
    let token = request.bearer_token();
    let Some(token) = token else {
        return answer.error(
            shape,
            401,
            "InvalidAccessToken",
            "The request carries no bearer access token.",
        );
    };
    if !state.sso_access_tokens.iter().any(|known| known == token) {
        return answer.error(
            shape,
            401,
            "InvalidAccessToken",
            "The access token is invalid or expired.",
        );
    }
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(&request.body) else {
        return answer.error(shape, 400, "InvalidParameter", "The body is not a JSON object.");
    };
    let field = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
    };
    let (Some(account_id), Some(access_config_id)) = (field("AccountId"), field("AccessConfigurationId")) else {
        return answer.error(
            shape,
            400,
            "MissingParameter",
            "The body must name AccountId and AccessConfigurationId (non-empty strings).",
        );
    };
    if account_id != state.sso_account_id || access_config_id != state.sso_access_config_id {
        return answer.error(
            shape,
            403,
            "NoPermission",
            "The user has no access to this account with this access configuration.",
        );
    }
    state.issued.cloud_sso += 1;
    let n = state.issued.cloud_sso;
    let body = json!({
        "CloudCredential": {
            "AccessKeyId": format!("STS.sso-{n}"),
            "AccessKeySecret": format!("sso-secret-{n}"),
            "SecurityToken": format!("sso-sts-token-{n}"),
            "Expiration": expiration(state.credentials_lifetime),
        },
        "RequestId": answer.request_id,
    });
    json_response(200, &body, answer.request_id)
}

/// `POST /v1/token`: a form body with `grant_type=refresh_token`, a known `client_id` and a valid
/// `refresh_token` (each else 400); answers a new access token and a new refresh token, the old one spent.
fn oauth_token(state: &mut Inner, request: &IdentityRequest, answer: &Answer<'_>) -> Response<Full<Bytes>> {
    let shape = Shape::OAuth;
    let form = parse_form(&request.body);
    if let Some(client_id) = form
        .iter()
        .flatten()
        .find(|(key, _)| key == "client_id")
        .map(|(_, value)| value.clone())
    {
        state.client_ids.push(client_id);
    }
    let is_form = request
        .header("content-type")
        .is_some_and(|kind| kind.trim().starts_with("application/x-www-form-urlencoded"));
    let Some(form) = form.filter(|_| is_form) else {
        return answer.error(
            shape,
            400,
            "invalid_request",
            "The body must be an application/x-www-form-urlencoded form.",
        );
    };
    let param = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    match param("grant_type") {
        Some("refresh_token") => {}
        None => return answer.error(shape, 400, "invalid_request", "grant_type is missing."),
        Some(_) => {
            return answer.error(
                shape,
                400,
                "unsupported_grant_type",
                "Only the refresh_token grant is supported.",
            )
        }
    }
    if !matches!(param("client_id"), Some(OAUTH_CLIENT_ID_CN | OAUTH_CLIENT_ID_INTL)) {
        return answer.error(
            shape,
            400,
            "invalid_client",
            "client_id is missing or not a known application.",
        );
    }
    let Some(refresh_token) = param("refresh_token").filter(|token| !token.is_empty()) else {
        return answer.error(shape, 400, "invalid_request", "refresh_token is missing.");
    };
    if !state.oauth_refresh.remove(refresh_token) {
        return answer.error(
            shape,
            400,
            "invalid_grant",
            "The refresh token is invalid, expired or already used.",
        );
    }
    state.issued.oauth_tokens += 1;
    let n = state.issued.oauth_tokens;
    let (access_token, new_refresh_token) = (format!("oauth-access-{n}"), format!("oauth-refresh-{n}"));
    let lifetime = state.oauth_access_lifetime;
    state.oauth_access.insert(access_token.clone(), expiry(lifetime));
    state.oauth_refresh.insert(new_refresh_token.clone());
    let body = json!({
        "access_token": access_token,
        "refresh_token": new_refresh_token,
        "expires_in": lifetime.as_secs(),
        "token_type": "Bearer",
    });
    json_response(200, &body, answer.request_id)
}

/// `POST /v1/exchange`: a bearer access token the service issued or was seeded with and that has not expired
/// (else 401); answers fresh STS credentials.
fn oauth_exchange(state: &mut Inner, request: &IdentityRequest, answer: &Answer<'_>) -> Response<Full<Bytes>> {
    let shape = Shape::OAuth;
    let Some(token) = request.bearer_token() else {
        return answer.error(
            shape,
            401,
            "invalid_token",
            "The request carries no bearer access token.",
        );
    };
    let valid = match state.oauth_access.get(token) {
        Some(Some(until)) => SystemTime::now() < *until,
        Some(None) | None => false,
    };
    if !valid {
        return answer.error(shape, 401, "invalid_token", "The access token is invalid or expired.");
    }
    state.issued.oauth_exchanges += 1;
    let n = state.issued.oauth_exchanges;
    let body = json!({
        "accessKeyId": format!("STS.oauth-{n}"),
        "accessKeySecret": format!("oauth-secret-{n}"),
        "securityToken": format!("oauth-sts-token-{n}"),
        "expiration": expiration(state.credentials_lifetime),
        "requestId": answer.request_id,
    });
    json_response(200, &body, answer.request_id)
}
