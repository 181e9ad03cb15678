//! Scripted replies: an answer for the requests of an action that match a predicate on their parameters, used
//! once, a number of times, or for good; and the check that every script was used.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use crate::fault::Fault;
use crate::reply::Reply;
use crate::shared::lock;

type Predicate = Arc<dyn Fn(&BTreeMap<String, String>) -> bool + Send + Sync>;

/// How often a script answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uses {
    /// This many times (then it is spent).
    Times(usize),
    /// Every matching request, for the server's life.
    Always,
}

/// One scripted reply.
#[derive(Clone)]
pub(crate) struct Script {
    pub(crate) action: String,
    pub(crate) conditions: Vec<String>,
    predicate: Option<Predicate>,
    params: Vec<(String, String)>,
    pub(crate) reply: Reply,
    pub(crate) uses: Uses,
    pub(crate) used: usize,
}

impl fmt::Debug for Script {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.describe())
    }
}

impl Script {
    pub(crate) fn new(action: &str, reply: Reply) -> Script {
        Script {
            action: action.to_owned(),
            conditions: Vec::new(),
            predicate: None,
            params: Vec::new(),
            reply,
            uses: Uses::Times(1),
            used: 0,
        }
    }

    pub(crate) fn spent(&self) -> bool {
        matches!(self.uses, Uses::Times(limit) if self.used >= limit)
    }

    /// Whether a test still expects requests for it: a one-shot or counted script not used up, or a sticky
    /// script never used.
    fn expected(&self) -> bool {
        !self.spent() && (self.uses != Uses::Always || self.used == 0)
    }

    pub(crate) fn matches(&self, action: &str, params: &BTreeMap<String, String>) -> bool {
        self.action == action
            && !self.spent()
            && self.params.iter().all(|(name, value)| params.get(name) == Some(value))
            && self.predicate.as_ref().is_none_or(|predicate| predicate(params))
    }

    /// `CheckDomain where DomainName=a.com, (predicate): used 0 of 1`
    pub(crate) fn describe(&self) -> String {
        let mut text = self.action.clone();
        if !self.conditions.is_empty() {
            text.push_str(" where ");
            text.push_str(&self.conditions.join(", "));
        }
        match self.uses {
            Uses::Times(limit) => text.push_str(&format!(": used {} of {limit}", self.used)),
            Uses::Always => text.push_str(&format!(": always, used {}", self.used)),
        }
        text
    }
}

/// A server's scripts, in the order they were added.
#[derive(Default)]
pub(crate) struct Scripts(Mutex<Vec<Script>>);

impl Scripts {
    pub(crate) fn add(&self, script: Script) {
        lock(&self.0).push(script);
    }

    /// The reply of the first script that matches the request, counted as used.
    pub(crate) fn answer(&self, action: &str, params: &BTreeMap<String, String>) -> Option<Reply> {
        let mut scripts = lock(&self.0);
        let script = scripts.iter_mut().find(|script| script.matches(action, params))?;
        script.used += 1;
        Some(script.reply.clone())
    }

    /// The scripts a test still expects requests for, described.
    pub(crate) fn unused(&self) -> Vec<String> {
        lock(&self.0)
            .iter()
            .filter(|script| script.expected())
            .map(Script::describe)
            .collect()
    }
}

/// Builds a script: `server.on("CheckDomain").param("DomainName", "a.com").reply(…)`.
#[must_use = "a script is only added by one of its reply methods"]
pub struct ScriptBuilder<'s> {
    scripts: &'s Scripts,
    script: Script,
}

impl<'s> ScriptBuilder<'s> {
    pub(crate) fn new(scripts: &'s Scripts, action: &str) -> Self {
        ScriptBuilder {
            scripts,
            script: Script::new(action, Reply::Example),
        }
    }

    /// Only requests whose parameter `name` is `value` (the parameters are the action's own and the common ones,
    /// from the query or the form body).
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.script.conditions.push(format!("{name}={value}"));
        self.script.params.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Only requests whose parameters satisfy `predicate`.
    pub fn when(mut self, predicate: impl Fn(&BTreeMap<String, String>) -> bool + Send + Sync + 'static) -> Self {
        self.script.conditions.push("(predicate)".into());
        self.script.predicate = Some(Arc::new(predicate));
        self
    }

    /// Answers `count` matching requests (`reply` answers one).
    pub fn times(mut self, count: usize) -> Self {
        self.script.uses = Uses::Times(count);
        self
    }

    /// Answers every matching request (a sticky script).
    pub fn always(mut self) -> Self {
        self.script.uses = Uses::Always;
        self
    }

    /// Adds the script with this reply.
    pub fn reply(mut self, reply: Reply) {
        self.script.reply = reply;
        self.scripts.add(self.script);
    }

    /// Adds the script answering with `output` serialized as the service would send it (an SDK output type, or
    /// any `Serialize` value), with HTTP 200.
    ///
    /// # Panics
    /// If `output` cannot be serialized as JSON (a map with non-string keys).
    pub fn reply_with<T: serde::Serialize>(self, output: &T) {
        self.reply(Reply::output(output));
    }

    /// Adds the script answering with the service's error body: this status, code and message.
    pub fn fail(self, status: u16, code: &str, message: &str) {
        self.reply(Reply::Fault(Fault::new(status, code, message)));
    }
}
