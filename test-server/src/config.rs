//! How a test server is set up: the keys it accepts, the actions it knows, its clock, how it answers (reference
//! examples or the stateful account) and whether it refuses unknown parameters.

use std::collections::HashMap;

use crate::account::Account;
use crate::validate::ActionSpec;

/// How far a request's timestamp may be from the server's clock, as the service allows.
pub const MAX_CLOCK_SKEW_SECS: i64 = 15 * 60;

/// What the server knows of one action.
#[derive(Debug, Clone)]
pub struct ActionInfo {
    /// Its API version.
    pub version: String,
    /// The reference's JSON success example.
    pub example: String,
    /// Its methods and parameters, which requests are validated against (`None`: not validated).
    pub spec: Option<&'static ActionSpec>,
}

impl ActionInfo {
    /// An action the spec does not describe (another product's, for a test): any parameters, any method.
    pub fn new(version: impl Into<String>, example: impl Into<String>) -> Self {
        ActionInfo {
            version: version.into(),
            example: example.into(),
            spec: None,
        }
    }
}

/// How the server answers a valid request that no script answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// With the action's reference example (stateless).
    #[default]
    Examples,
    /// From one in-memory account: the actions of [`crate::STATEFUL_ACTIONS`] read and change it, every other
    /// action answers its reference example.
    Stateful,
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// AccessKey IDs and their secrets.
    pub keys: HashMap<String, String>,
    /// Known actions.
    pub actions: HashMap<String, ActionInfo>,
    /// Seconds added to the real clock (to play a server whose clock differs from the client's).
    pub clock_offset_secs: i64,
    /// How requests are answered.
    pub mode: Mode,
    /// Whether a parameter the action does not have is refused (`InvalidParameter`); otherwise it is only
    /// recorded in the request's [`crate::Verdict::AcceptedWithUnknown`], as the service ignores it.
    pub strict: bool,
    /// The account the stateful mode starts with (see [`Account::from_fixture`]).
    pub account: Account,
}

impl Default for ServerConfig {
    /// Every action of the SDK, answered with its reference example, and one key pair `testid`/`testsecret`.
    fn default() -> Self {
        let actions = crate::ACTIONS
            .iter()
            .map(|a| {
                (
                    a.action.to_owned(),
                    ActionInfo {
                        version: a.version.to_owned(),
                        example: a.example.to_owned(),
                        spec: Some(a),
                    },
                )
            })
            .collect();
        ServerConfig {
            keys: HashMap::from([(crate::TEST_KEY_ID.to_owned(), crate::TEST_KEY_SECRET.to_owned())]),
            actions,
            clock_offset_secs: 0,
            mode: Mode::Examples,
            strict: false,
            account: Account::default(),
        }
    }
}

impl ServerConfig {
    /// The stateful fake with an empty account (tasks end on their third read).
    pub fn stateful() -> Self {
        ServerConfig {
            mode: Mode::Stateful,
            ..ServerConfig::default()
        }
    }

    /// The stateful fake starting from `account` (a fixture: [`Account::from_fixture`]).
    pub fn with_account(mut self, account: Account) -> Self {
        self.mode = Mode::Stateful;
        self.account = account;
        self
    }

    /// Adds (or replaces) an AccessKey pair the server accepts.
    pub fn with_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.keys.insert(id.into(), secret.into());
        self
    }

    /// Refuses parameters the action does not have.
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }
}
