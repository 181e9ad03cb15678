//! Waiting for a task (`TaskNo`) to finish: polls `QueryTaskDetailList` across all pages with backoff and reports
//! each domain's outcome. Built on the generated operation (an extension, not part of the runtime).

use std::fmt;
use std::time::{Duration, Instant};

use crate::operation::query_task_detail_list::{TaskDetail, TaskStatus, TaskStatusCode, MAX_PAGE_SIZE};
use crate::{Client, Error};

/// How [`Client::wait_for_task_with`] polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterConfig {
    /// The wait before the second poll; doubles each round up to `max_interval` (default 2 s).
    pub initial_interval: Duration,
    /// The longest wait between two polls (default 30 s).
    pub max_interval: Duration,
    /// How long to wait in all before reporting what is still pending (default 10 minutes).
    pub deadline: Duration,
    /// The page size of each poll (default the documented maximum, 1000).
    pub page_size: i32,
}

impl Default for WaiterConfig {
    fn default() -> Self {
        WaiterConfig {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            deadline: Duration::from_secs(600),
            page_size: MAX_PAGE_SIZE,
        }
    }
}

/// What became of one domain of a task.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TaskOutcome {
    /// The domain's task succeeded.
    Succeeded {
        /// The domain.
        domain_name: String,
        /// The service's detail.
        detail: Box<TaskDetail>,
    },
    /// The domain's task failed.
    Failed {
        /// The domain.
        domain_name: String,
        /// The reason the service gave (`ErrorMsg`).
        reason: Option<String>,
        /// The service's detail.
        detail: Box<TaskDetail>,
    },
    /// Still waiting or executing when the deadline passed.
    Pending {
        /// The domain.
        domain_name: String,
        /// Its last known status.
        status: Option<TaskStatusCode>,
        /// The service's detail.
        detail: Box<TaskDetail>,
    },
}

impl TaskOutcome {
    /// The domain this outcome is about.
    pub fn domain_name(&self) -> &str {
        match self {
            TaskOutcome::Succeeded { domain_name, .. }
            | TaskOutcome::Failed { domain_name, .. }
            | TaskOutcome::Pending { domain_name, .. } => domain_name,
        }
    }
}

/// How waiting for a task ended: the one thing to look at first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Every domain of the task succeeded.
    Succeeded,
    /// Every domain finished, and at least one failed ([`TaskReport::failed`] says which and why).
    Failed,
    /// The deadline passed with at least one domain still waiting or executing ([`TaskReport::pending`]).
    TimedOut,
    /// The service listed no detail for the task at any poll until the deadline: a wrong `TaskNo`, or a task of
    /// another account. Nothing is known to have succeeded.
    NotFound,
}

impl TaskState {
    /// Whether every domain succeeded.
    pub fn is_success(self) -> bool {
        self == TaskState::Succeeded
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskState::Succeeded => "every domain succeeded",
            TaskState::Failed => "finished with failures",
            TaskState::TimedOut => "still pending at the deadline",
            TaskState::NotFound => "no such task: the service listed no detail for it",
        })
    }
}

/// The result of waiting for a task.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TaskReport {
    /// The task.
    pub task_no: String,
    /// How the wait ended.
    pub state: TaskState,
    /// One outcome per domain of the task, in the service's order (empty when [`TaskState::NotFound`]).
    pub outcomes: Vec<TaskOutcome>,
    /// How many times the task was polled.
    pub polls: u32,
}

impl TaskReport {
    /// A report of these outcomes; the state follows from them (`NotFound` when there is none).
    pub fn new(task_no: impl Into<String>, outcomes: Vec<TaskOutcome>, polls: u32) -> Self {
        let state = if outcomes.is_empty() {
            TaskState::NotFound
        } else if outcomes.iter().any(|o| matches!(o, TaskOutcome::Pending { .. })) {
            TaskState::TimedOut
        } else if outcomes.iter().all(|o| matches!(o, TaskOutcome::Succeeded { .. })) {
            TaskState::Succeeded
        } else {
            TaskState::Failed
        };
        TaskReport {
            task_no: task_no.into(),
            state,
            outcomes,
            polls,
        }
    }

    /// Whether the task was seen and every one of its domains finished (succeeded or failed) before the deadline.
    pub fn is_complete(&self) -> bool {
        matches!(self.state, TaskState::Succeeded | TaskState::Failed)
    }

    /// Whether the task was seen and every one of its domains succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.state.is_success()
    }

    /// The domains that failed.
    pub fn failed(&self) -> impl Iterator<Item = &TaskOutcome> {
        self.outcomes.iter().filter(|o| matches!(o, TaskOutcome::Failed { .. }))
    }

    /// The domains still pending at the deadline.
    pub fn pending(&self) -> impl Iterator<Item = &TaskOutcome> {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, TaskOutcome::Pending { .. }))
    }
}

/// Where one domain's task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    Pending,
    Succeeded,
    Failed,
}

/// Where a detail stands: from `TaskStatusCode`, else from `TaskStatus`.
fn progress(detail: &TaskDetail) -> Progress {
    match (&detail.task_status_code, &detail.task_status) {
        (Some(TaskStatusCode::Succeeded), _) | (None, Some(TaskStatus::ExecuteSuccess)) => Progress::Succeeded,
        (Some(TaskStatusCode::Failed), _) | (None, Some(TaskStatus::ExecuteFailure)) => Progress::Failed,
        _ => Progress::Pending,
    }
}

fn outcome(detail: TaskDetail) -> TaskOutcome {
    let domain_name = detail.domain_name.clone().unwrap_or_default();
    match progress(&detail) {
        Progress::Succeeded => TaskOutcome::Succeeded {
            domain_name,
            detail: Box::new(detail),
        },
        Progress::Failed => TaskOutcome::Failed {
            domain_name,
            reason: detail.error_msg.clone(),
            detail: Box::new(detail),
        },
        Progress::Pending => TaskOutcome::Pending {
            domain_name,
            status: detail.task_status_code.clone(),
            detail: Box::new(detail),
        },
    }
}

impl Client {
    /// Waits for the task `task_no` (returned by the `SaveBatchTask…`/`SaveSingleTask…` actions) with the default
    /// [`WaiterConfig`], and reports each domain's outcome.
    ///
    /// Look at [`TaskReport::state`] first: [`TaskState::Succeeded`] is the only state in which every domain is
    /// known to have succeeded. A task whose details never appear ends as [`TaskState::NotFound`] at the
    /// deadline, one with domains still pending as [`TaskState::TimedOut`]; neither is an error, since the task
    /// may still finish later.
    ///
    /// # Errors
    /// A failed poll (after the client's retries).
    pub async fn wait_for_task(&self, task_no: impl Into<String>) -> Result<TaskReport, Error> {
        self.wait_for_task_with(task_no, WaiterConfig::default()).await
    }

    /// Like [`wait_for_task`](Self::wait_for_task), polling as `config` says. At the deadline it returns the
    /// report with the domains still pending ([`TaskState::TimedOut`]), or with none if the task was never listed
    /// ([`TaskState::NotFound`]), rather than an error.
    ///
    /// # Errors
    /// A failed poll (after the client's retries).
    pub async fn wait_for_task_with(
        &self,
        task_no: impl Into<String>,
        config: WaiterConfig,
    ) -> Result<TaskReport, Error> {
        let task_no = task_no.into();
        let started = Instant::now();
        let mut interval = config.initial_interval;
        let mut polls = 0;
        loop {
            polls += 1;
            let details: Vec<TaskDetail> = self
                .query_task_detail_list()
                .task_no(task_no.clone())
                .page_size(config.page_size)
                .into_paginator()
                .items()
                .try_collect()
                .await?;
            let done = !details.is_empty() && details.iter().all(|d| progress(d) != Progress::Pending);
            let elapsed = started.elapsed();
            if done || elapsed + interval > config.deadline {
                let report = TaskReport::new(task_no, details.into_iter().map(outcome).collect(), polls);
                tracing::debug!(task_no = report.task_no, polls, state = %report.state, "task wait over");
                return Ok(report);
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(config.max_interval);
        }
    }
}

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
impl Client {
    /// [`wait_for_task`](Self::wait_for_task) for code without async: blocks the calling thread until the task
    /// is over or the default [`WaiterConfig`]'s deadline passes.
    ///
    /// # Errors
    /// A failed poll (after the client's retries); [`Error::Blocking`] when called from within an async runtime.
    pub fn wait_for_task_blocking(&self, task_no: impl Into<String>) -> Result<TaskReport, Error> {
        crate::blocking::block_on(self.wait_for_task(task_no))
    }

    /// [`wait_for_task_with`](Self::wait_for_task_with) for code without async, polling as `config` says.
    ///
    /// # Errors
    /// As [`wait_for_task_blocking`](Self::wait_for_task_blocking).
    pub fn wait_for_task_with_blocking(
        &self,
        task_no: impl Into<String>,
        config: WaiterConfig,
    ) -> Result<TaskReport, Error> {
        crate::blocking::block_on(self.wait_for_task_with(task_no, config))
    }
}
