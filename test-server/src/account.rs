//! The stateful fake's one in-memory account: domains, tasks, registrant profiles, groups and email
//! verifications, with the virtual clock and the rules that decide how tasks end. The same serde types are the
//! fixture a test seeds the account from and the snapshot it reads back.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch (the service's `…Long` dates).
pub type Millis = i64;

/// A day in milliseconds.
pub const DAY: Millis = 24 * 3600 * 1000;
/// A year as the fake counts registrations and renewals.
pub const YEAR: Millis = 365 * DAY;
/// How long after its expiration a domain can still be renewed (then it must be redeemed).
pub const RENEWAL_GRACE: Millis = 30 * DAY;

/// One domain of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Domain {
    /// The name (`example.com`).
    pub name: String,
    /// The instance id (`S2026…`); generated when a fixture leaves it empty.
    pub instance_id: String,
    /// When it was registered (ms).
    pub registration_date: Millis,
    /// When it expires (ms); a fixture leaving it 0 gets one year after registration.
    pub expiration_date: Millis,
    /// Its name servers.
    pub dns: Vec<String>,
    /// Whether the name servers are Alibaba Cloud DNS's.
    pub aliyun_dns: bool,
    /// Its group's id, if any.
    pub group_id: Option<String>,
    /// Its remark.
    pub remark: String,
    /// The registrant profile it was registered with, if any.
    pub registrant_profile_id: Option<i64>,
    /// The registrant's name.
    pub registrant_name: String,
    /// The registrant's organization.
    pub registrant_organization: String,
    /// The registrant's email.
    pub email: String,
    /// `1` (individual) or `2` (organization).
    pub registrant_type: String,
    /// Whether updates are prohibited (update prohibition lock).
    pub update_prohibition_lock: bool,
    /// Whether transfers are prohibited (transfer prohibition lock).
    pub transfer_prohibition_lock: bool,
    /// Whether the registry lock (server lock) is on; seeded only, as the service sells it separately.
    pub registry_lock: bool,
    /// Whether the privacy proxy hides the registrant.
    pub privacy_proxy: bool,
    /// Whether it renews automatically.
    pub auto_renew: bool,
    /// Whether it is a premium name.
    pub premium: bool,
    /// Real-name verification: `NONAUDIT`, `AUDITING`, `SUCCEED` or `FAILED`.
    pub real_name_status: String,
    /// Its DNS hosts (glue records).
    pub dns_hosts: Vec<DnsHost>,
    /// Its DS records (DNSSEC).
    pub ds_records: Vec<DsRecord>,
    /// The transfer authorization code, once a transfer out was asked for (then `TransferOutStatus` is
    /// `PENDING`).
    pub transfer_out_code: Option<String>,
    /// The resource group.
    pub resource_group_id: String,
    /// The identity credential of its latest real-name verification, once one succeeded.
    pub real_name_verification: Option<RealNameVerification>,
}

/// What a domain's real-name verification was submitted with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RealNameVerification {
    /// `SFZ`, `YYZZ`, … (empty when a registrant profile was named instead).
    pub credential_type: String,
    /// The credential's number.
    pub credential_no: String,
    /// The credential itself as sent (the image, encoded); `QueryDomainRealNameVerificationInfo` returns it
    /// with `FetchImage=true`.
    pub credential: String,
    /// The registrant profile named instead of a credential, if any.
    pub profile_id: Option<i64>,
    /// When it was submitted (ms).
    pub submitted: Millis,
}

impl Default for Domain {
    fn default() -> Self {
        Domain {
            name: String::new(),
            instance_id: String::new(),
            registration_date: 0,
            expiration_date: 0,
            dns: vec!["dns1.hichina.com".into(), "dns2.hichina.com".into()],
            aliyun_dns: true,
            group_id: None,
            remark: String::new(),
            registrant_profile_id: None,
            registrant_name: String::new(),
            registrant_organization: String::new(),
            email: String::new(),
            registrant_type: "1".into(),
            update_prohibition_lock: false,
            transfer_prohibition_lock: false,
            registry_lock: false,
            privacy_proxy: false,
            auto_renew: false,
            premium: false,
            real_name_status: "SUCCEED".into(),
            dns_hosts: Vec::new(),
            ds_records: Vec::new(),
            transfer_out_code: None,
            resource_group_id: String::new(),
            real_name_verification: None,
        }
    }
}

impl Domain {
    /// `gTLD`, `ccTLD` or `New gTLD`, from the name's suffix.
    pub fn domain_type(&self) -> &'static str {
        let tld = self.name.rsplit('.').next().unwrap_or_default();
        match tld {
            "com" | "net" | "org" | "info" | "biz" | "name" | "mobi" | "pro" | "aero" | "asia" | "tel" => "gTLD",
            t if t.len() == 2 => "ccTLD",
            _ => "New gTLD",
        }
    }

    /// The service's `DomainStatus` of `QueryDomainList`: `3` normal, `1` urgent renewal (expired, in grace),
    /// `2` urgent redemption.
    pub fn status(&self, now: Millis) -> &'static str {
        if now < self.expiration_date {
            "3"
        } else if now < self.expiration_date.saturating_add(RENEWAL_GRACE) {
            "1"
        } else {
            "2"
        }
    }
}

/// A DNS host (glue record) of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsHost {
    /// The host name (`ns1`).
    pub name: String,
    /// Its addresses.
    pub ips: Vec<String>,
}

/// A DS record of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DsRecord {
    /// Key tag.
    pub key_tag: i32,
    /// Algorithm number.
    pub algorithm: i32,
    /// Digest type number.
    pub digest_type: i32,
    /// Digest (hex).
    pub digest: String,
}

/// A registrant profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// Its id.
    pub id: i64,
    /// `common` or `cnnic`.
    pub profile_type: String,
    /// `1` (individual) or `2` (organization).
    pub registrant_type: String,
    /// Whether it is the account's default.
    pub default: bool,
    /// Name.
    pub registrant_name: String,
    /// Organization.
    pub registrant_organization: String,
    /// Chinese name.
    pub zh_registrant_name: String,
    /// Chinese organization.
    pub zh_registrant_organization: String,
    /// Email.
    pub email: String,
    /// Country code.
    pub country: String,
    /// Province.
    pub province: String,
    /// City.
    pub city: String,
    /// Address.
    pub address: String,
    /// Postal code.
    pub postal_code: String,
    /// Telephone area code.
    pub tel_area: String,
    /// Telephone.
    pub telephone: String,
    /// Real-name verification: `NONAUDIT`, `AUDITING`, `SUCCEED` or `FAILED`.
    pub real_name_status: String,
    /// Whether its email is verified.
    pub email_verified: bool,
    /// When it was created (ms).
    pub created: Millis,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            id: 0,
            profile_type: "common".into(),
            registrant_type: "1".into(),
            default: false,
            registrant_name: String::new(),
            registrant_organization: String::new(),
            zh_registrant_name: String::new(),
            zh_registrant_organization: String::new(),
            email: String::new(),
            country: String::new(),
            province: String::new(),
            city: String::new(),
            address: String::new(),
            postal_code: String::new(),
            tel_area: String::new(),
            telephone: String::new(),
            real_name_status: "NONAUDIT".into(),
            email_verified: false,
            created: 0,
        }
    }
}

/// A domain group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Group {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was created (ms).
    pub created: Millis,
}

/// An email address's verification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailVerification {
    /// The address.
    pub email: String,
    /// Whether it was verified.
    pub verified: bool,
    /// The token the verification mail carries (what `VerifyEmail` takes).
    pub token: String,
    /// When it was asked for (ms).
    pub created: Millis,
    /// When it was verified (ms), if it was.
    pub verified_at: Option<Millis>,
}

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
    /// Failed (`3`, `EXECUTE_FAILURE`) with the service's reason.
    Failed {
        /// The error code.
        code: String,
        /// The reason (`ErrorMsg`).
        reason: String,
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
        /// A transfer in (the name must be registered elsewhere: in [`Account::taken`]), not a registration.
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
    /// A DNS host is created or replaced.
    PutDnsHost {
        /// The host.
        host: DnsHost,
    },
    /// A DNS host is deleted.
    DeleteDnsHost {
        /// Its name.
        name: String,
    },
    /// A DS record is added or replaced (by key tag).
    PutDsRecord {
        /// The record.
        record: DsRecord,
    },
    /// A DS record is deleted.
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

impl Task {
    /// The task's `TaskStatus` of `QueryTaskList`: waiting until a detail starts, complete when every detail is.
    pub fn status(&self) -> (i32, &'static str) {
        if self.details.iter().all(|d| d.status.is_final()) {
            (3, "COMPLETE")
        } else if self.details.iter().all(|d| d.status == DetailStatus::Waiting) {
            (1, "WAITING_EXECUTE")
        } else {
            (2, "EXECUTING")
        }
    }
}

/// A rule that makes a task fail for the domains it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FailureRule {
    /// The domain name, or a pattern with `*` (any run of characters): `*.xin`, `blocked-*`.
    pub domain: String,
    /// Only tasks created by this action (any action when empty).
    pub action: String,
    /// The error code.
    pub code: String,
    /// The reason the detail's `ErrorMsg` carries.
    pub reason: String,
}

impl Default for FailureRule {
    fn default() -> Self {
        FailureRule {
            domain: String::new(),
            action: String::new(),
            code: "DomainRegistrationFailed".into(),
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
    let (p, t) = (pattern.to_ascii_lowercase(), text.to_ascii_lowercase());
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == t;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !t.starts_with(first) || t.len() < first.len() + last.len() || !t.ends_with(last) {
        return false;
    }
    let mut rest = &t[first.len()..t.len() - last.len()];
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
    /// Each detail ends on its n-th read (n ≥ 1): the first read shows it waiting, later ones executing.
    Polls(u32),
    /// Each detail ends this many milliseconds of the virtual clock after its task was created
    /// (advance the clock with [`crate::TestServer::advance_clock`]).
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
    fn try_from(f: TimingFields) -> Result<Self, String> {
        match (f.polls, f.clock_ms) {
            (Some(0), None) => Err("polls must be at least 1".into()),
            (Some(n), None) => Ok(TaskTiming::Polls(n)),
            (None, Some(ms)) => Ok(TaskTiming::Clock(ms)),
            _ => Err("give one of polls and clock_ms".into()),
        }
    }
}

impl From<TaskTiming> for TimingFields {
    fn from(t: TaskTiming) -> Self {
        match t {
            TaskTiming::Polls(n) => TimingFields {
                polls: Some(n),
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
    /// Ends after `d` of the virtual clock.
    pub fn after(d: Duration) -> Self {
        TaskTiming::Clock(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// The whole account: what a fixture seeds and a snapshot shows. Every field may be left out of a fixture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Account {
    /// The virtual clock (ms since the epoch); a fixture leaving it 0 starts at the real time.
    pub now: Millis,
    /// How tasks progress.
    pub task_timing: TaskTiming,
    /// Domains of the account.
    pub domains: Vec<Domain>,
    /// Names registered by someone else: `CheckDomain` says taken, registering them fails.
    pub taken: Vec<String>,
    /// Registrant profiles.
    pub profiles: Vec<Profile>,
    /// Domain groups.
    pub groups: Vec<Group>,
    /// Email verifications.
    pub email_verifications: Vec<EmailVerification>,
    /// Tasks, oldest first.
    pub tasks: Vec<Task>,
    /// Rules that make tasks fail.
    pub failure_rules: Vec<FailureRule>,
    /// The counter behind generated ids (instance ids, task numbers, profile ids).
    pub next_id: u64,
}

impl Default for Account {
    fn default() -> Self {
        Account {
            now: 0,
            task_timing: TaskTiming::default(),
            domains: Vec::new(),
            taken: Vec::new(),
            profiles: Vec::new(),
            groups: Vec::new(),
            email_verifications: Vec::new(),
            tasks: Vec::new(),
            failure_rules: Vec::new(),
            next_id: 1,
        }
    }
}

/// A fixture that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError(pub String);

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FixtureError {}

impl Account {
    /// Reads a fixture: JSON when it starts with `{`, else YAML. Fills what a fixture may leave out (instance
    /// ids, expiration dates, the clock) and checks it is consistent.
    ///
    /// # Errors
    /// A fixture that does not parse (naming the line and column), or names a domain twice, or a profile or
    /// group that does not exist.
    pub fn from_fixture(text: &str) -> Result<Account, FixtureError> {
        let account: Account = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| FixtureError(format!("the fixture is not valid: {e}")))?
        } else {
            serde_yaml::from_str(text).map_err(|e| FixtureError(format!("the fixture is not valid: {e}")))?
        };
        account.seeded()
    }

    /// Fills what a seed may leave out and checks it is consistent.
    ///
    /// # Errors
    /// As [`Account::from_fixture`].
    pub fn seeded(mut self) -> Result<Account, FixtureError> {
        if self.now == 0 {
            self.now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
        }
        if let TaskTiming::Polls(0) = self.task_timing {
            return Err(FixtureError("task_timing: polls must be at least 1".into()));
        }
        self.next_id = self.next_id.max(1);
        let mut seen = std::collections::HashSet::new();
        for i in 0..self.domains.len() {
            let name = self.domains[i].name.to_ascii_lowercase();
            if name.is_empty() || !name.contains('.') {
                return Err(FixtureError(format!("domains[{i}]: {name:?} is not a domain name")));
            }
            if !seen.insert(name.clone()) {
                return Err(FixtureError(format!("domains[{i}]: {name} is listed twice")));
            }
            if let Some(g) = &self.domains[i].group_id {
                if !self.groups.iter().any(|x| &x.id == g) {
                    return Err(FixtureError(format!("domains[{i}]: group {g} is not in groups")));
                }
            }
            if let Some(p) = self.domains[i].registrant_profile_id {
                if !self.profiles.iter().any(|x| x.id == p) {
                    return Err(FixtureError(format!("domains[{i}]: profile {p} is not in profiles")));
                }
            }
            if self.domains[i].instance_id.is_empty() {
                self.domains[i].instance_id = self.instance_id();
            }
            let d = &mut self.domains[i];
            d.name = name;
            if d.registration_date == 0 {
                d.registration_date = self.now.saturating_sub(30 * DAY);
            }
            if d.expiration_date == 0 {
                d.expiration_date = d.registration_date.saturating_add(YEAR);
            }
        }
        let mut ids = std::collections::HashSet::new();
        for i in 0..self.profiles.len() {
            if self.profiles[i].id == 0 {
                self.profiles[i].id = self.profile_id();
            }
            if !ids.insert(self.profiles[i].id) {
                return Err(FixtureError(format!(
                    "profiles[{i}]: id {} is listed twice",
                    self.profiles[i].id
                )));
            }
            if self.profiles[i].created == 0 {
                self.profiles[i].created = self.now;
            }
        }
        Ok(self)
    }

    fn next(&mut self) -> u64 {
        let n = self.next_id;
        self.next_id += 1;
        n
    }

    /// A new instance id (`S20261203000001`).
    pub fn instance_id(&mut self) -> String {
        let n = self.next();
        let date = format_time(self.now, time::macros::format_description!("[year][month][day]"));
        format!("S{date}{n:06}")
    }

    /// A new id in the form of the service's request and task numbers (a UUID).
    pub fn uuid(&mut self) -> String {
        let n = self.next();
        format!("{:08x}-7e57-4000-8000-{n:012x}", n.wrapping_mul(0x9E37_79B9) as u32)
    }

    /// A new registrant profile id.
    pub fn profile_id(&mut self) -> i64 {
        let n = self.next();
        3_600_000 + i64::try_from(n).unwrap_or(i64::MAX - 3_600_000)
    }

    /// The domain of this name, if the account has it.
    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// The domain of this instance id, if the account has it.
    pub fn domain_by_instance(&self, instance_id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.instance_id == instance_id)
    }

    /// Whether a task is running for this domain (the service refuses a second one: `TaskIsBeingProcessed`).
    pub fn busy(&self, name: &str) -> bool {
        self.tasks
            .iter()
            .flat_map(|t| &t.details)
            .any(|d| d.domain.eq_ignore_ascii_case(name) && !d.status.is_final())
    }

    /// Creates a task with one detail per `(domain, instance id, effect)`; returns its number.
    pub fn create_task(
        &mut self,
        action: &str,
        task_type: &str,
        client_ip: &str,
        parts: Vec<(String, String, Effect)>,
    ) -> String {
        let task_no = self.uuid();
        let details = parts
            .into_iter()
            .map(|(domain, instance_id, effect)| TaskDetail {
                detail_no: self.uuid(),
                domain,
                instance_id,
                status: DetailStatus::Waiting,
                polls: 0,
                acknowledged: false,
                effect,
                updated: self.now,
            })
            .collect();
        self.tasks.push(Task {
            task_no: task_no.clone(),
            task_type: task_type.to_owned(),
            action: action.to_owned(),
            created: self.now,
            client_ip: if client_ip.is_empty() {
                "127.0.0.1".into()
            } else {
                client_ip.to_owned()
            },
            canceled: false,
            details,
        });
        if let TaskTiming::Clock(_) = self.task_timing {
            self.settle();
        }
        task_no
    }

    /// Records one read of a detail (`QueryTaskDetailList` and its kin) and moves it on under
    /// [`TaskTiming::Polls`].
    pub fn observe(&mut self, task: usize, detail: usize) {
        let TaskTiming::Polls(n) = self.task_timing else {
            return;
        };
        let d = &mut self.tasks[task].details[detail];
        if d.status.is_final() {
            return;
        }
        d.polls += 1;
        if d.polls >= n {
            self.finish(task, detail);
        } else if d.polls > 1 {
            let d = &mut self.tasks[task].details[detail];
            d.status = DetailStatus::Executing;
            d.updated = self.now;
        }
    }

    /// Moves every detail on as the virtual clock says ([`TaskTiming::Clock`]).
    pub fn settle(&mut self) {
        let TaskTiming::Clock(ms) = self.task_timing else {
            return;
        };
        let ms = Millis::try_from(ms).unwrap_or(Millis::MAX);
        for t in 0..self.tasks.len() {
            for d in 0..self.tasks[t].details.len() {
                if self.tasks[t].details[d].status.is_final() {
                    continue;
                }
                let created = self.tasks[t].created;
                if self.now.saturating_sub(created) >= ms {
                    self.finish(t, d);
                } else if self.now > created {
                    self.tasks[t].details[d].status = DetailStatus::Executing;
                }
            }
        }
    }

    /// Ends every unfinished detail now, whatever the timing.
    pub fn finish_all(&mut self) {
        for t in 0..self.tasks.len() {
            for d in 0..self.tasks[t].details.len() {
                if !self.tasks[t].details[d].status.is_final() {
                    self.finish(t, d);
                }
            }
        }
    }

    /// Ends a detail: a failure rule, a canceled task or a check of the effect makes it fail; otherwise its
    /// effect is applied.
    fn finish(&mut self, task: usize, detail: usize) {
        let action = self.tasks[task].action.clone();
        let canceled = self.tasks[task].canceled;
        let d = self.tasks[task].details[detail].clone();
        let outcome = if canceled {
            Err(("TaskCanceled".to_owned(), "The task was canceled.".to_owned()))
        } else if let Some(rule) = self.failure_rules.iter().find(|r| r.matches(&action, &d.domain)) {
            Err((rule.code.clone(), rule.reason.clone()))
        } else {
            self.apply(&d)
        };
        let now = self.now;
        let target = &mut self.tasks[task].details[detail];
        target.updated = now;
        match outcome {
            Ok(instance_id) => {
                target.status = DetailStatus::Succeeded;
                if let Some(id) = instance_id {
                    target.instance_id = id;
                }
            }
            Err((code, reason)) => {
                target.status = DetailStatus::Failed { code, reason };
                if matches!(d.effect, Effect::VerifyRealName { .. }) {
                    if let Some(x) = self.domains.iter_mut().find(|x| x.name.eq_ignore_ascii_case(&d.domain)) {
                        x.real_name_status = "FAILED".into();
                    }
                }
            }
        }
    }

    /// Applies a detail's effect; a new domain's instance id, or why it cannot be applied.
    fn apply(&mut self, d: &TaskDetail) -> Result<Option<String>, (String, String)> {
        let now = self.now;
        if let Effect::Add {
            domain,
            years,
            transfer_in,
        } = &d.effect
        {
            if self.domain(&domain.name).is_some() {
                return Err((
                    "DomainExist".into(),
                    "The domain name is already in your account.".into(),
                ));
            }
            let taken = self.taken.iter().position(|t| t.eq_ignore_ascii_case(&domain.name));
            match (taken, transfer_in) {
                (Some(_), false) => {
                    return Err((
                        "DomainNotAvailable".into(),
                        "The domain name is already registered.".into(),
                    ))
                }
                (None, true) => {
                    return Err((
                        "DomainNotRegistered".into(),
                        "The domain name is not registered elsewhere, so it cannot be transferred in.".into(),
                    ))
                }
                (Some(at), true) => {
                    self.taken.remove(at);
                }
                (None, false) => {}
            }
            let mut domain = (**domain).clone();
            if domain.instance_id.is_empty() {
                domain.instance_id = self.instance_id();
            }
            domain.registration_date = now;
            domain.expiration_date = now.saturating_add(Millis::from(*years).saturating_mul(YEAR));
            let id = domain.instance_id.clone();
            self.domains.push(domain);
            return Ok(Some(id));
        }
        if d.effect == Effect::None {
            return Ok(None);
        }
        let Some(at) = self.domains.iter().position(|x| x.name.eq_ignore_ascii_case(&d.domain)) else {
            return Err(("DomainNotExist".into(), "The domain name does not exist.".into()));
        };
        let domain = &mut self.domains[at];
        let changes_the_domain = matches!(
            d.effect,
            Effect::SetDns { .. }
                | Effect::PutDnsHost { .. }
                | Effect::DeleteDnsHost { .. }
                | Effect::PutDsRecord { .. }
                | Effect::DeleteDsRecord { .. }
                | Effect::Privacy { .. }
                | Effect::UpdateContact { .. }
        );
        if changes_the_domain && (domain.update_prohibition_lock || domain.registry_lock) {
            return Err((
                "DomainUpdateProhibited".into(),
                "The domain name is locked against updates.".into(),
            ));
        }
        match &d.effect {
            Effect::Add { .. } => unreachable!("handled above"),
            Effect::Renew { years } => {
                if domain.status(now) == "2" {
                    return Err((
                        "DomainNeedRedeem".into(),
                        "The domain name is past its renewal period and must be redeemed.".into(),
                    ));
                }
                domain.expiration_date = domain
                    .expiration_date
                    .saturating_add(Millis::from(*years).saturating_mul(YEAR));
            }
            Effect::Redeem => {
                if domain.status(now) != "2" {
                    return Err((
                        "DomainNotNeedRedeem".into(),
                        "The domain name does not need a redemption.".into(),
                    ));
                }
                domain.expiration_date = now.saturating_add(YEAR);
            }
            Effect::Delete => {
                self.domains.remove(at);
            }
            Effect::IssueTransferCode => {
                if domain.transfer_prohibition_lock || domain.registry_lock {
                    return Err((
                        "DomainTransferProhibited".into(),
                        "The domain name is locked against transfers.".into(),
                    ));
                }
                let code = format!("Ac{:08}!x", domain.instance_id.len() * 7919 + at);
                domain.transfer_out_code = Some(code);
            }
            Effect::CancelTransferOut => domain.transfer_out_code = None,
            Effect::TransferOut { code } => {
                if domain.transfer_prohibition_lock || domain.registry_lock {
                    return Err((
                        "DomainTransferProhibited".into(),
                        "The domain name is locked against transfers.".into(),
                    ));
                }
                if domain.transfer_out_code.as_deref() != Some(code.as_str()) {
                    return Err((
                        "AuthorizationCodeInvalid".into(),
                        "The transfer authorization code is not the domain's.".into(),
                    ));
                }
                self.domains.remove(at);
            }
            Effect::SetDns { servers, aliyun } => {
                domain.aliyun_dns = *aliyun;
                domain.dns = if *aliyun && servers.is_empty() {
                    Domain::default().dns
                } else {
                    servers.clone()
                };
            }
            Effect::UpdateLock { on } => domain.update_prohibition_lock = *on,
            Effect::TransferLock { on } => domain.transfer_prohibition_lock = *on,
            Effect::Privacy { on } => domain.privacy_proxy = *on,
            Effect::PutDnsHost { host } => {
                domain.dns_hosts.retain(|h| !h.name.eq_ignore_ascii_case(&host.name));
                domain.dns_hosts.push(host.clone());
            }
            Effect::DeleteDnsHost { name } => domain.dns_hosts.retain(|h| !h.name.eq_ignore_ascii_case(name)),
            Effect::PutDsRecord { record } => {
                domain.ds_records.retain(|r| r.key_tag != record.key_tag);
                domain.ds_records.push(record.clone());
            }
            Effect::DeleteDsRecord { key_tag } => domain.ds_records.retain(|r| r.key_tag != *key_tag),
            Effect::UpdateContact {
                contact_type,
                contact,
                transfer_lock,
            } => {
                if contact_type == "registrant" {
                    domain.registrant_profile_id = Some(contact.id).filter(|id| *id != 0);
                    domain.registrant_name.clone_from(&contact.registrant_name);
                    domain
                        .registrant_organization
                        .clone_from(&contact.registrant_organization);
                    domain.email.clone_from(&contact.email);
                    domain.registrant_type.clone_from(&contact.registrant_type);
                }
                domain.transfer_prohibition_lock |= *transfer_lock;
            }
            Effect::VerifyRealName { submission } => {
                if let Some(id) = submission.profile_id {
                    let profile = self.profiles.iter().find(|x| x.id == id);
                    let status = profile.map_or("NONE", |x| x.real_name_status.as_str());
                    if status != "SUCCEED" {
                        return Err((
                            "RegistrantProfileNotVerified".into(),
                            format!("The registrant profile's real-name verification is {status}, not SUCCEED."),
                        ));
                    }
                }
                domain.real_name_status = "SUCCEED".into();
                domain.real_name_verification = Some((**submission).clone());
            }
            Effect::None => {}
        }
        Ok(None)
    }
}

/// A date as the service writes it (`2026-12-03 11:30:05`, UTC).
pub fn format_date(ms: Millis) -> String {
    format_time(
        ms,
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
    )
}

fn format_time(ms: Millis, format: &[time::format_description::BorrowedFormatItem<'_>]) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_runs() {
        assert!(glob("*.xin", "a.xin"));
        assert!(glob("blocked-*", "BLOCKED-1.com"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXcYYb"));
        assert!(glob("a.com", "A.com"));
        assert!(!glob("a.com", "b.com"));
        assert!(!glob("ab*ba", "aba"));
    }

    #[test]
    fn a_fixture_is_filled_and_checked() {
        let a = Account::from_fixture("now: 1700000000000\ndomains:\n  - name: Example.com\n").unwrap();
        assert_eq!(a.domains[0].name, "example.com");
        assert!(a.domains[0].instance_id.starts_with("S20231114"));
        assert_eq!(a.domains[0].expiration_date - a.domains[0].registration_date, YEAR);
        let twice = Account::from_fixture(r#"{"domains": [{"name": "a.com"}, {"name": "A.com"}]}"#).unwrap_err();
        assert!(twice.0.contains("a.com is listed twice"), "{twice}");
        let typo = Account::from_fixture("domians: []").unwrap_err();
        assert!(typo.0.contains("domians"), "{typo}");
        let group = Account::from_fixture("domains: [{name: a.com, group_id: g1}]").unwrap_err();
        assert!(group.0.contains("group g1"), "{group}");
    }

    #[test]
    fn polls_move_a_detail_through_its_states() {
        let mut a = Account::from_fixture("domains: [{name: a.com}]").unwrap();
        let before = a.domain("a.com").unwrap().expiration_date;
        let no = a.create_task(
            "SaveSingleTaskForCreatingOrderRenew",
            "ORDER_RENEW",
            "",
            vec![("a.com".into(), String::new(), Effect::Renew { years: 2 })],
        );
        assert_eq!(a.tasks[0].task_no, no);
        let mut seen = Vec::new();
        for _ in 0..4 {
            a.observe(0, 0);
            seen.push(a.tasks[0].details[0].status.code());
        }
        assert_eq!(seen, [0, 1, 2, 2]);
        assert_eq!(a.domain("a.com").unwrap().expiration_date, before + 2 * YEAR);
    }

    #[test]
    fn failure_rules_and_the_clock() {
        let mut a =
            Account::from_fixture("task_timing: {clock_ms: 60000}\nfailure_rules: [{domain: '*.xin', reason: no}]\n")
                .unwrap();
        let add = |name: &str| {
            (
                name.to_owned(),
                String::new(),
                Effect::Add {
                    domain: Box::new(Domain {
                        name: name.into(),
                        ..Domain::default()
                    }),
                    years: 1,
                    transfer_in: false,
                },
            )
        };
        a.create_task(
            "SaveBatchTaskForCreatingOrderActivate",
            "ORDER_ACTIVATE",
            "",
            vec![add("a.com"), add("b.xin")],
        );
        a.settle();
        assert_eq!(a.tasks[0].status().1, "WAITING_EXECUTE");
        a.now += 1000;
        a.settle();
        assert_eq!(a.tasks[0].status().1, "EXECUTING");
        a.now += 60_000;
        a.settle();
        assert_eq!(a.tasks[0].status().1, "COMPLETE");
        assert_eq!(a.tasks[0].details[0].status, DetailStatus::Succeeded);
        assert!(matches!(&a.tasks[0].details[1].status, DetailStatus::Failed { reason, .. } if reason == "no"));
        assert_eq!(a.domains.len(), 1);
        assert_eq!(a.tasks[0].details[0].instance_id, a.domains[0].instance_id);
    }
}
