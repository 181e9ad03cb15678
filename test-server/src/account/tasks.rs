//! Tasks as the account keeps them: a task per `Save…Task…` call with one detail per domain, where each detail
//! stands, what it does to the account when it succeeds, the rules that make details fail, and how fast tasks
//! progress.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::records::{DnsHost, Domain, DsRecord, Millis, Profile, RealNameVerification};

/// Where one domain's part of a task is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetailStatus {
    /// Not started (`0`, `WAITING_EXECUTE`).
    Waiting,
    /// Running (`1`, `EXECUTING`).
    Executing,
    /// Done (`2`, `EXECUTE_SUCCESS`); its effect is applied.
    Succeeded,
    /// Failed (`3`, `EXECUTE_FAILURE`) with the service's reason. The service reports a failed detail by its
    /// reason alone (`ErrorMsg`): no source documents a code for it.
    Failed {
        /// The reason (`ErrorMsg`).
        reason: String,
        /// Whether the customer canceled it (`CancelTask`, a canceled transfer in) rather than the task failing.
        #[serde(default)]
        canceled: bool,
    },
}

impl DetailStatus {
    /// The service's `TaskStatusCode`.
    pub fn code(&self) -> i32 {
        match self {
            DetailStatus::Waiting => 0,
            DetailStatus::Executing => 1,
            DetailStatus::Succeeded => 2,
            DetailStatus::Failed { .. } => 3,
        }
    }

    /// The service's `TaskStatus`.
    pub fn name(&self) -> &'static str {
        match self {
            DetailStatus::Waiting => "WAITING_EXECUTE",
            DetailStatus::Executing => "EXECUTING",
            DetailStatus::Succeeded => "EXECUTE_SUCCESS",
            DetailStatus::Failed { .. } => "EXECUTE_FAILURE",
        }
    }

    /// Succeeded or failed.
    pub fn is_final(&self) -> bool {
        matches!(self, DetailStatus::Succeeded | DetailStatus::Failed { .. })
    }
}

/// What a task's detail does to the account when it succeeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Effect {
    /// A new domain (registration or transfer in) joins the account.
    Add {
        /// The domain as it will be (its dates and instance id are set when it is added).
        domain: Box<Domain>,
        /// The registration period in years.
        years: i32,
        /// A transfer in (the name must be registered elsewhere: in [`crate::Account::taken`]), not a registration.
        #[serde(default)]
        transfer_in: bool,
    },
    /// The expiration date moves by this many years.
    Renew {
        /// Years.
        years: i32,
    },
    /// The domain is redeemed: one year from now.
    Redeem,
    /// The domain is deleted.
    Delete,
    /// The domain leaves the account (transferred out).
    TransferOut {
        /// The authorization code the request gave (it must match the domain's).
        code: String,
    },
    /// A transfer authorization code is issued.
    IssueTransferCode,
    /// A transfer out is canceled.
    CancelTransferOut,
    /// New name servers.
    SetDns {
        /// The servers (empty with `aliyun`: Alibaba Cloud DNS's).
        servers: Vec<String>,
        /// Whether they are Alibaba Cloud DNS's.
        aliyun: bool,
    },
    /// The update prohibition lock is set or cleared.
    UpdateLock {
        /// On or off.
        on: bool,
    },
    /// The transfer prohibition lock is set or cleared.
    TransferLock {
        /// On or off.
        on: bool,
    },
    /// The privacy proxy is set or cleared.
    Privacy {
        /// On or off.
        on: bool,
    },
    /// A DNS host is created (the detail fails if the domain has one of that name).
    AddDnsHost {
        /// The host.
        host: DnsHost,
    },
    /// A DNS host's addresses are replaced (the detail fails if the domain has none of that name).
    PutDnsHost {
        /// The host.
        host: DnsHost,
    },
    /// A DNS host is deleted (the detail fails if the domain has none of that name).
    DeleteDnsHost {
        /// Its name.
        name: String,
    },
    /// A DS record is added (the detail fails if the domain has one with that key tag).
    AddDsRecord {
        /// The record.
        record: DsRecord,
    },
    /// A DS record is replaced, by key tag (the detail fails if the domain has none with that key tag).
    PutDsRecord {
        /// The record.
        record: DsRecord,
    },
    /// A DS record is deleted (the detail fails if the domain has none with that key tag).
    DeleteDsRecord {
        /// Its key tag.
        key_tag: i32,
    },
    /// A contact changes. Only the registrant is kept (name, organization, email, type, profile); an admin,
    /// billing or tech contact change is checked (locks) and reported, not kept.
    UpdateContact {
        /// `registrant`, `admin`, `billing` or `tech`.
        contact_type: String,
        /// The new details (`id` 0 when they were given in full rather than as a profile).
        contact: Box<Profile>,
        /// Whether the transfer prohibition lock is set as well.
        #[serde(default)]
        transfer_lock: bool,
    },
    /// A real-name verification of the domain: `AUDITING` from submission, then `SUCCEED` (the credential
    /// kept) or `FAILED`. With a profile, the profile must be verified (`SUCCEED`) by then.
    VerifyRealName {
        /// What it was submitted with.
        submission: Box<RealNameVerification>,
    },
    /// An ENS address is associated with the domain (the ENS system holds it from then on).
    AssociateEns {
        /// The wallet address.
        address: String,
    },
    /// The domain's ENS association is removed (the detail fails if the ENS system holds none for it).
    DisassociateEns,
    /// Nothing the fake models: the task reports success (its domain need not be in the account).
    None,
}

/// One domain's part of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskDetail {
    /// The detail's number (`TaskDetailNo`).
    pub detail_no: String,
    /// The domain.
    pub domain: String,
    /// The domain's instance id (empty until a new domain exists).
    pub instance_id: String,
    /// Where it is.
    pub status: DetailStatus,
    /// How often it was read (`QueryTaskDetailList`, `QueryTaskDetailHistory`, `PollTaskResult`).
    #[serde(default)]
    pub polls: u32,
    /// Whether `AcknowledgeTaskResult` was called for it.
    #[serde(default)]
    pub acknowledged: bool,
    /// What it does when it succeeds.
    pub effect: Effect,
    /// When it last changed (ms).
    #[serde(default)]
    pub updated: Millis,
}

/// A task (`TaskNo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Its number.
    pub task_no: String,
    /// The service's task type (`ORDER_ACTIVATE`, `CHG_DNS`, …).
    pub task_type: String,
    /// The action that created it.
    pub action: String,
    /// When it was created (ms).
    pub created: Millis,
    /// The caller's IP (`UserClientIp`, else `127.0.0.1`).
    #[serde(default)]
    pub client_ip: String,
    /// Whether `CancelTask` canceled it (its unfinished details then fail).
    #[serde(default)]
    pub canceled: bool,
    /// One detail per domain.
    pub details: Vec<TaskDetail>,
}

/// Where a whole task stands (`TaskStatus` and `TaskStatusCode` of `QueryTaskList`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskProgress {
    /// No detail has started (`1`, `WAITING_EXECUTE`).
    Waiting,
    /// Some detail has started, some is unfinished (`2`, `EXECUTING`).
    Executing,
    /// Every detail is finished (`3`, `COMPLETE`).
    Complete,
}

impl TaskProgress {
    /// The service's `TaskStatusCode`.
    pub fn code(self) -> i32 {
        match self {
            TaskProgress::Waiting => 1,
            TaskProgress::Executing => 2,
            TaskProgress::Complete => 3,
        }
    }

    /// The service's `TaskStatus`.
    pub fn name(self) -> &'static str {
        match self {
            TaskProgress::Waiting => "WAITING_EXECUTE",
            TaskProgress::Executing => "EXECUTING",
            TaskProgress::Complete => "COMPLETE",
        }
    }
}

impl Task {
    /// Where the task stands: waiting until a detail starts, complete when every detail is.
    pub fn progress(&self) -> TaskProgress {
        if self.details.iter().all(|detail| detail.status.is_final()) {
            TaskProgress::Complete
        } else if self.details.iter().all(|detail| detail.status == DetailStatus::Waiting) {
            TaskProgress::Waiting
        } else {
            TaskProgress::Executing
        }
    }
}

/// One detail of a task about to be created: the domain, its instance id (empty for a domain not yet in the
/// account), and what the detail does when it succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDetail {
    /// The domain.
    pub domain: String,
    /// Its instance id.
    pub instance_id: String,
    /// What it does.
    pub effect: Effect,
}

/// A rule that makes a task fail for the domains it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FailureRule {
    /// The domain name, or a pattern with `*` (any run of characters): `*.xin`, `blocked-*`.
    pub domain: String,
    /// Only tasks created by this action (any action when empty).
    pub action: String,
    /// The reason the detail's `ErrorMsg` carries.
    pub reason: String,
}

impl Default for FailureRule {
    fn default() -> Self {
        FailureRule {
            domain: String::new(),
            action: String::new(),
            reason: "The registry refused the operation.".into(),
        }
    }
}

impl FailureRule {
    /// Whether the rule applies to `domain` in a task of `action`.
    pub fn matches(&self, action: &str, domain: &str) -> bool {
        (self.action.is_empty() || self.action == action) && glob(&self.domain, domain)
    }
}

/// `*` matches any run of characters; everything else itself (ASCII case-insensitively).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.to_ascii_lowercase(), text.to_ascii_lowercase());
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// How tasks progress. In a fixture: `task_timing: {polls: 3}` or `task_timing: {clock_ms: 60000}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TimingFields", into = "TimingFields")]
pub enum TaskTiming {
    /// Each detail ends on its n-th read (n ≥ 1): the first read shows it waiting, later ones executing. A
    /// registrant profile's real-name audit is decided on its n-th listing by `QueryRegistrantProfiles`, a
    /// domain's qualification review on its n-th `QueryQualificationDetail`.
    Polls(u32),
    /// Each detail ends this many milliseconds of the virtual clock after its task was created, and a registrant
    /// profile's real-name audit or a domain's qualification review this long after its submission (advance the
    /// clock with [`crate::TestServer::advance_clock`]).
    Clock(u64),
}

/// [`TaskTiming`] as a fixture writes it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimingFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    polls: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clock_ms: Option<u64>,
}

impl TryFrom<TimingFields> for TaskTiming {
    type Error = String;
    fn try_from(fields: TimingFields) -> Result<Self, String> {
        match (fields.polls, fields.clock_ms) {
            (Some(0), None) => Err("polls must be at least 1".into()),
            (Some(count), None) => Ok(TaskTiming::Polls(count)),
            (None, Some(ms)) => Ok(TaskTiming::Clock(ms)),
            _ => Err("give one of polls and clock_ms".into()),
        }
    }
}

impl From<TaskTiming> for TimingFields {
    fn from(timing: TaskTiming) -> Self {
        match timing {
            TaskTiming::Polls(count) => TimingFields {
                polls: Some(count),
                clock_ms: None,
            },
            TaskTiming::Clock(ms) => TimingFields {
                polls: None,
                clock_ms: Some(ms),
            },
        }
    }
}

impl Default for TaskTiming {
    /// Ends on the third read: waiting, executing, then the outcome.
    fn default() -> Self {
        TaskTiming::Polls(3)
    }
}

impl TaskTiming {
    /// Ends after `delay` of the virtual clock.
    pub fn after(delay: Duration) -> Self {
        TaskTiming::Clock(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX))
    }
}
