//! The stateful fake's one in-memory account: domains, tasks, registrant profiles, groups and email
//! verifications, with the virtual clock and the rules that decide how tasks and reviews end. The same serde types are the
//! fixture a test seeds the account from and the snapshot it reads back.

mod effects;
mod progress;
mod records;
mod reviews;
mod tasks;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub use records::{
    format_date, DnsHost, Domain, DsRecord, EmailVerification, FailRecord, Group, Millis, Profile, Qualification,
    QualificationCredential, QualificationStatus, RealNameVerification, DAY, RENEWAL_GRACE, YEAR,
};
pub(crate) use reviews::{review_mut, review_of};
pub use tasks::{glob, DetailStatus, Effect, FailureRule, NewDetail, Task, TaskDetail, TaskProgress, TaskTiming};

use crate::codes::Code;
use crate::fault::Fault;
use records::format_time;

/// The whole account: what a fixture seeds and a snapshot shows. Every field may be left out of a fixture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Account {
    /// The virtual clock (ms since the epoch); a fixture leaving it 0 starts at the real time.
    pub now: Millis,
    /// How tasks (and registrant profiles' real-name audits, and qualification reviews) progress.
    pub task_timing: TaskTiming,
    /// Domains of the account.
    pub domains: Vec<Domain>,
    /// Names registered by someone else: `CheckDomain` says taken, registering them fails, transferring them
    /// in succeeds.
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
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
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
        let invalid = |error: &dyn std::fmt::Display| FixtureError(format!("the fixture is not valid: {error}"));
        let account: Account = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|error| invalid(&error))?
        } else {
            serde_norway::from_str(text).map_err(|error| invalid(&error))?
        };
        account.seeded()
    }

    /// The account as a fixture (YAML), which [`Account::from_fixture`] reads back to the same account.
    ///
    /// # Errors
    /// Never for an account of this crate's types; the serializer's error otherwise.
    pub fn to_fixture(&self) -> Result<String, FixtureError> {
        serde_norway::to_string(self).map_err(|error| FixtureError(format!("the account does not serialize: {error}")))
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
        let mut seen = HashSet::new();
        for index in 0..self.domains.len() {
            let name = self.domains[index].name.to_ascii_lowercase();
            if name.is_empty() || !name.contains('.') {
                return Err(FixtureError(format!("domains[{index}]: {name:?} is not a domain name")));
            }
            if !seen.insert(name.clone()) {
                return Err(FixtureError(format!("domains[{index}]: {name} is listed twice")));
            }
            if let Some(group) = &self.domains[index].group_id {
                if !self.groups.iter().any(|known| &known.id == group) {
                    return Err(FixtureError(format!(
                        "domains[{index}]: group {group} is not in groups"
                    )));
                }
            }
            if let Some(profile) = self.domains[index].registrant_profile_id {
                if !self.profiles.iter().any(|known| known.id == profile) {
                    return Err(FixtureError(format!(
                        "domains[{index}]: profile {profile} is not in profiles"
                    )));
                }
            }
            if self.domains[index].instance_id.is_empty() {
                self.domains[index].instance_id = self.instance_id();
            }
            let now = self.now;
            let domain = &mut self.domains[index];
            domain.name = name;
            if domain.registration_date == 0 {
                domain.registration_date = now.saturating_sub(30 * DAY);
            }
            if domain.expiration_date == 0 {
                domain.expiration_date = domain.registration_date.saturating_add(YEAR);
            }
            if let Some(review) = domain.qualification.as_mut() {
                if review.status == QualificationStatus::Auditing && review.submitted.is_none() {
                    review.submitted = Some(now);
                }
            }
        }
        let mut ids = HashSet::new();
        for index in 0..self.profiles.len() {
            if self.profiles[index].id == 0 {
                self.profiles[index].id = self.profile_id();
            }
            if !ids.insert(self.profiles[index].id) {
                return Err(FixtureError(format!(
                    "profiles[{index}]: id {} is listed twice",
                    self.profiles[index].id
                )));
            }
            if self.profiles[index].created == 0 {
                self.profiles[index].created = self.now;
            }
        }
        Ok(self)
    }

    fn next(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// A new instance id (`S20261203000001`).
    pub fn instance_id(&mut self) -> String {
        let id = self.next();
        let date = format_time(self.now, time::macros::format_description!("[year][month][day]"));
        format!("S{date}{id:06}")
    }

    /// A new id in the form of the service's request and task numbers (a UUID).
    pub fn uuid(&mut self) -> String {
        let id = self.next();
        format!("{:08x}-7e57-4000-8000-{id:012x}", id.wrapping_mul(0x9E37_79B9) as u32)
    }

    /// A new registrant profile id.
    pub fn profile_id(&mut self) -> i64 {
        let id = self.next();
        3_600_000 + i64::try_from(id).unwrap_or(i64::MAX - 3_600_000)
    }

    /// The domain of this name, if the account has it.
    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains
            .iter()
            .find(|domain| domain.name.eq_ignore_ascii_case(name))
    }

    /// The domain of this instance id, if the account has it.
    pub fn domain_by_instance(&self, instance_id: &str) -> Option<&Domain> {
        self.domains.iter().find(|domain| domain.instance_id == instance_id)
    }

    /// The domain of this name, or `DomainNotExist`.
    ///
    /// # Errors
    /// `DomainNotExist` when the account does not have it.
    pub fn existing_domain(&self, name: &str) -> Result<&Domain, Fault> {
        self.domain(name).ok_or_else(|| Code::DomainNotExist.fault())
    }

    /// The domain of this instance id, or `DomainNotExist`.
    ///
    /// # Errors
    /// `DomainNotExist` when the account has no domain of that instance id.
    pub fn existing_instance(&self, instance_id: &str) -> Result<&Domain, Fault> {
        self.domain_by_instance(instance_id)
            .ok_or_else(|| Code::DomainNotExist.fault())
    }

    /// The registrant profile of this id, or `ContactTemplateNotExist`.
    ///
    /// # Errors
    /// `ContactTemplateNotExist` when the account has no profile of that id.
    pub fn existing_profile(&self, id: i64) -> Result<&Profile, Fault> {
        self.profiles
            .iter()
            .find(|profile| profile.id == id)
            .ok_or_else(|| Code::ContactTemplateNotExist.fault())
    }

    /// The real-name-verified registrant profile of this id, as registrations, transfers in and holder changes
    /// need (the reference, §5.28 and §5.41: since 2022-03-01 only a verified profile registers a domain).
    ///
    /// # Errors
    /// `contactTemplateRealNamedNotExist` when the account has no profile of that id, or it is not `SUCCEED`.
    pub fn verified_profile(&self, id: i64) -> Result<&Profile, Fault> {
        self.profiles
            .iter()
            .find(|profile| profile.id == id && profile.real_name_status == "SUCCEED")
            .ok_or_else(|| Code::ContactTemplateRealNamedNotExist.fault())
    }

    /// Whether a task is running for this domain.
    pub fn busy(&self, name: &str) -> bool {
        self.unfinished_details(name).next().is_some()
    }

    /// The unfinished task details of this domain.
    pub fn unfinished_details<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a TaskDetail> + 'a {
        self.tasks
            .iter()
            .flat_map(|task| &task.details)
            .filter(move |detail| detail.domain.eq_ignore_ascii_case(name) && !detail.status.is_final())
    }

    /// Refuses a second task for a domain whose task is running, as the service does.
    ///
    /// # Errors
    /// `TaskIsBeingProcessed` when a task of the domain is unfinished.
    pub fn ensure_idle(&self, name: &str) -> Result<(), Fault> {
        if self.busy(name) {
            return Err(Code::TaskIsBeingProcessed.fault());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
