//! `fleetdoc watch`: build, serve, rebuild on change, reload open tabs. Every input is
//! watched (settings, content, topology and probes even outside content/, templates,
//! assets); bursts of events from one editor save (temp file + rename) are folded into one
//! rebuild. A rebuild renders only what the change affects (see `render/cache.rs`) and
//! writes only the files that changed. A broken input keeps the last good site served and
//! shows its diagnostics in every open tab. Watched folders that are replaced, renamed or
//! deleted and re-created are watched afresh (see `arms.rs`).

mod arms;
mod page_edit;

use crate::diag::Diagnostics;
use crate::pipeline::{prepare_cached, Caches, Project, Timer};
use crate::render::cache::{RenderCache, Stats};
use crate::render::output::Output;
use notify::RecursiveMode;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of file events while a file may still be half written (a
/// bare data change, or a file removed or renamed away that an editor may be about to
/// write again).
pub const DEBOUNCE: Duration = Duration::from_millis(25);
/// Quiet time after an event that says an input is complete (closed after writing, or
/// renamed into place, and there now): the rest of the same save (an editor's temp file
/// removed, its mode restored) arrives in the same read of the kernel's event queue or
/// within microseconds, so this is only long enough to fold those into the same rebuild.
/// Anything later is a rebuild of its own, which finds nothing changed and sends no reload.
pub const SETTLE: Duration = Duration::from_micros(500);
/// Quiet time after a one-page edit before the whole rebuild runs (see `page_edit.rs`): an
/// editor that writes twice in a row gets its second save built first. Not longer: the
/// whole rebuild takes 0.1-0.6 s at 10,000 pages, and a save that arrives while it runs
/// waits for it, so it is best done at once, while the writer looks at the page.
pub const WHOLE_AFTER: Duration = Duration::from_millis(50);

/// The search index made on its own thread: the key of what it holds, and its files.
type SearchFiles = (u64, Vec<(String, bytes::Bytes)>);

/// The result of one (re)build in watch mode.
pub struct Rebuild {
    pub ok: bool,
    pub stats: Stats,
    pub written: usize,
    pub diagnostics: Vec<String>,
    pub elapsed: Duration,
}

/// Builder state kept between rebuilds.
pub struct Session {
    pub root: PathBuf,
    pub out_dir: PathBuf,
    caches: Caches,
    last_good: Option<Output>,
    /// The model the last good build rendered (for [`Session::page_edit`]).
    last_project: Option<Project>,
    /// The search index being made on its own thread: its key and files.
    search_run: Option<std::thread::JoinHandle<SearchFiles>>,
    /// The threads that make it, at a lower priority than the rebuilds (made on first use).
    search_pool: Option<Option<std::sync::Arc<rayon::ThreadPool>>>,
    /// Print each stage's time on every rebuild (`-v`).
    pub verbose: bool,
}

impl Session {
    pub fn new(root: &Path, out: Option<&Path>) -> Self {
        // One absolute spelling of every path, so the paths file events name are the
        // paths the load stage reads (see `rebuild_changed`).
        let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut d = Diagnostics::new();
        let settings = crate::load::load_settings(root, &mut d);
        let out_dir = out
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.join(&settings.output));
        let mut caches = Caches::default();
        caches.render.defer_png = true;
        caches.refs.keep = true;
        Session {
            root: root.to_path_buf(),
            out_dir,
            caches,
            last_good: None,
            last_project: None,
            search_run: None,
            search_pool: None,
            verbose: false,
        }
    }

    /// Build once: in memory, then onto disk only when there were no errors.
    pub fn rebuild(&mut self) -> Rebuild {
        self.rebuild_changed(None)
    }

    /// Like [`Session::rebuild`], told by file events which files changed: every other
    /// file already read is taken as it was, without looking at it again. `None` checks
    /// every file.
    pub fn rebuild_changed(&mut self, changed: Option<HashSet<PathBuf>>) -> Rebuild {
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        let now = crate::clock::now().unwrap_or_else(|_| chrono::Utc::now());
        let mut t = Timer::new(self.verbose);
        self.caches.files.changed = changed;
        let project = prepare_cached(&self.root, now, &mut diags, &mut t, &mut self.caches);
        self.caches.files.changed = None;
        let out = project.render_with(&mut self.caches.render, &mut diags, &mut t);
        let stats = self.caches.render.take_stats();
        let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        if diags.has_errors() {
            self.last_project = None;
            // Outputs rendered from broken input must not be reused once it is fixed.
            self.caches.render = RenderCache::default();
            self.caches.render.defer_png = true;
            return Rebuild {
                ok: false,
                stats,
                written: 0,
                diagnostics: lines,
                elapsed: started.elapsed(),
            };
        }
        let written = match &self.last_good {
            Some(old) if self.out_dir.is_dir() => {
                crate::write::update_site(&self.out_dir, old, &out)
            }
            _ => crate::write::write_site(&self.out_dir, &out).map(|_| out.files.len()),
        };
        t.lap("write");
        match written {
            Ok(n) => {
                self.last_good = Some(out);
                self.last_project = Some(project);
                Rebuild {
                    ok: true,
                    stats,
                    written: n,
                    diagnostics: lines,
                    elapsed: started.elapsed(),
                }
            }
            Err(e) => {
                self.last_project = None;
                Rebuild {
                    ok: false,
                    stats,
                    written: 0,
                    diagnostics: vec![format!(
                        "{}: error: cannot write the site: {e}",
                        self.out_dir.display()
                    )],
                    elapsed: started.elapsed(),
                }
            }
        }
    }

    /// Make the search index the last rebuild left for later (after the pages are served,
    /// so an edit reaches the browser first) and write its changed files, waiting for one
    /// being made on its own thread first ([`Session::start_search`]). Returns how many
    /// files were written.
    pub fn finish_search(&mut self) -> usize {
        let mut written = 0;
        if let Some(run) = self.search_run.take() {
            if let Ok((key, files)) = run.join() {
                written += self.write_search(key, files);
            }
        }
        let Some(job) = self.caches.render.deferred_search.take() else {
            return written;
        };
        let files = job.run();
        written + self.write_search(job.key, files)
    }

    /// Start making the search index the last rebuild left for later on its own thread,
    /// unless one is being made already (the newest job waits for it): an edit saved
    /// meanwhile is built and served without waiting for the index.
    pub fn start_search(&mut self) {
        if self.search_run.is_some() {
            return;
        }
        if let Some(job) = self.caches.render.deferred_search.take() {
            let pool = self.search_pool.get_or_insert_with(background_pool).clone();
            self.search_run = Some(std::thread::spawn(move || {
                let files = match &pool {
                    Some(pool) => pool.install(|| job.run()),
                    None => job.run(),
                };
                (job.key, files)
            }));
        }
    }

    /// Whether a search index is being made on its own thread.
    pub fn searching(&self) -> bool {
        self.search_run.is_some()
    }

    /// When the index being made on its own thread is done, write it (and start the next
    /// one, if a later rebuild left one). Returns how many files were written.
    pub fn poll_search(&mut self) -> usize {
        if !self.search_run.as_ref().is_some_and(|r| r.is_finished()) {
            return 0;
        }
        let mut written = 0;
        if let Some(Ok((key, files))) = self.search_run.take().map(|r| r.join()) {
            written = self.write_search(key, files);
        }
        self.start_search();
        written
    }

    /// Keep and write the search index's files made for `key`.
    fn write_search(&mut self, key: u64, files: Vec<(String, bytes::Bytes)>) -> usize {
        self.caches.render.put_search(key, files.clone());
        let mut out = Output::default();
        for (path, bytes) in files {
            out.bytes(path, bytes);
        }
        let Some(good) = self.last_good.as_mut() else {
            return 0;
        };
        // The index's files as the last build wrote them; one that is gone stays deleted.
        let dir = format!("{}/", crate::render::search::DIR);
        let old = Output {
            files: good
                .files
                .iter()
                .filter(|(k, _)| k.starts_with(&dir))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        let written = crate::write::update_site(&self.out_dir, &old, &out).unwrap_or(0);
        good.files.retain(|k, _| !k.starts_with(&dir));
        good.files.extend(out.files);
        written
    }

    /// Rasterize the PNGs the last rebuild left for later (after the pages are served, so
    /// an edit reaches the browser first) and write them. Returns how many were written.
    pub fn finish_pngs(&mut self) -> usize {
        let jobs = std::mem::take(&mut self.caches.render.deferred);
        if jobs.is_empty() {
            return 0;
        }
        let mut out = Output::default();
        let mut diags = Diagnostics::new();
        self.caches.render.defer_png = false;
        crate::render::diagrams::rasterize_all(
            jobs,
            Vec::new(),
            &mut self.caches.render,
            &mut out,
            &|p: &str| crate::diag::Loc::file_start(format!("site/{p}")),
            &mut diags,
        );
        self.caches.render.defer_png = true;
        let _ = self.caches.render.take_stats();
        for d in diags.sorted() {
            crate::diag::print_one(&d);
        }
        let Some(good) = self.last_good.as_mut() else {
            return 0;
        };
        let old = good.at_paths_of(&out);
        let written = crate::write::update_site(&self.out_dir, &old, &out).unwrap_or(0);
        good.files.extend(out.files);
        written
    }

    /// Folders and files whose changes trigger a rebuild.
    pub fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut d = Diagnostics::new();
        let settings = crate::load::load_settings(&self.root, &mut d);
        let mut v = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for dir in ["content", "templates", "assets"] {
            v.push((self.root.join(dir), RecursiveMode::Recursive));
        }
        v.push((self.root.join(&settings.probes), RecursiveMode::Recursive));
        if let Some(t) = &settings.topology {
            v.push((self.root.join(t), RecursiveMode::Recursive));
        }
        v.retain(|(p, _)| p.exists());
        v
    }

    /// Whether a changed path is an input (not the site itself, not a temp or hidden file).
    pub fn is_input(&self, path: &Path) -> bool {
        is_input(&self.root, &self.out_dir, path)
    }
}

/// [`Session::is_input`] for a project at `root` writing its site to `out_dir`.
fn is_input(root: &Path, out_dir: &Path, path: &Path) -> bool {
    {
        if path.starts_with(out_dir) {
            return false;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".tmp")
        {
            return false;
        }
        // In the project root itself only fleetdoc.yaml matters.
        if path.parent() == Some(root) {
            return name == "fleetdoc.yaml" || ["content", "templates", "assets"].contains(&name);
        }
        true
    }
}

/// Threads for work done after the browser has reloaded (the search index), at a lower
/// scheduling priority, so that the next save's rebuild runs first on a busy machine.
/// `None` when they cannot be made (the caller then uses the shared pool).
fn background_pool() -> Option<std::sync::Arc<rayon::ThreadPool>> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("fleetdoc-search-{i}"))
        .start_handler(|_| {
            // On Linux a thread's nice value is its own.
            #[cfg(unix)]
            let _ = rustix::process::nice(10);
        })
        .build()
        .ok()
        .map(std::sync::Arc::new)
}

/// Reads (opening, closing after reading) are not changes: a rebuild reads every input,
/// and reacting to that would rebuild forever. A file closed after writing is a change.
pub fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    match kind {
        notify::EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        notify::EventKind::Access(_) => false,
        _ => true,
    }
}

/// One file event, as the watcher thread hands it over.
struct Change {
    complete: bool,
    rescan: bool,
    /// A file or folder appeared, went or was renamed (not only written to).
    structural: bool,
    paths: Vec<PathBuf>,
}

/// The events folded into one rebuild.
struct Burst {
    relevant: bool,
    settled: bool,
    /// Every path named; `None` once an event asked for a full rescan.
    changed: Option<HashSet<PathBuf>>,
    /// Paths that appeared, went or were renamed: a watched folder among them is watched
    /// afresh even if the new one has the old one's inode.
    moved: HashSet<PathBuf>,
}

impl Default for Burst {
    fn default() -> Self {
        Burst {
            relevant: false,
            settled: false,
            changed: Some(HashSet::new()),
            moved: HashSet::new(),
        }
    }
}

impl Burst {
    fn add(&mut self, c: Change, session: &Session) {
        let inputs = c.paths.iter().any(|p| session.is_input(p));
        self.relevant |= c.rescan || inputs;
        // Complete: closed after writing or renamed into place, and there now. An input
        // removed or renamed away is often about to be written again (an editor that
        // moves the old file aside first): wait for that rather than build without it.
        // An event about other files (an editor's temp file) says nothing of the inputs.
        if c.rescan || inputs {
            self.settled = c.complete
                && (c.rescan
                    || c.paths
                        .iter()
                        .filter(|p| session.is_input(p))
                        .all(|p| p.exists()));
        }
        if c.rescan {
            self.changed = None;
        }
        if c.structural {
            self.moved.extend(c.paths.iter().cloned());
        }
        if let Some(set) = self.changed.as_mut() {
            set.extend(c.paths);
        }
    }
}

/// Whether an event says the file is complete: closed after writing, renamed into place
/// or removed. After a plain data change more writes may follow, so the rebuild waits for
/// [`DEBOUNCE`] of quiet instead of [`SETTLE`].
pub fn write_complete(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    matches!(
        kind,
        notify::EventKind::Access(AccessKind::Close(AccessMode::Write))
            | notify::EventKind::Modify(ModifyKind::Name(_))
            | notify::EventKind::Remove(_)
    )
}

/// Whether an event says something appeared, went or was renamed.
fn structural(kind: &notify::EventKind) -> bool {
    use notify::event::ModifyKind;
    matches!(
        kind,
        notify::EventKind::Create(_)
            | notify::EventKind::Remove(_)
            | notify::EventKind::Modify(ModifyKind::Name(_))
    )
}

/// The whole rebuild after one-page edits (see `page_edit.rs`): it finds their pages
/// rendered, writes whatever else changed (reloading the tabs again only then), leaves the
/// search index to make on its own thread and redraws PNGs.
fn whole_after_edit(
    session: &mut Session,
    live: &fleetdoc_serve::LiveReload,
    changed: Option<HashSet<PathBuf>>,
    problems: &[String],
    shown_failure: &mut bool,
    verbose: bool,
) {
    let whole = session.rebuild_changed(changed);
    *shown_failure = announce(live, &whole, *shown_failure, problems, false);
    for line in &whole.diagnostics {
        crate::diag::print_line(line);
    }
    if verbose || whole.written > 0 || !whole.ok {
        crate::diag::say(format!(
            "whole site rebuilt after the reload in {:.1} ms: {} outputs rendered, {} files written{}",
            whole.elapsed.as_secs_f64() * 1000.0,
            whole.stats.rendered.len(),
            whole.written,
            if whole.ok {
                ""
            } else {
                "; build failed, still serving the last good site"
            }
        ));
    }
    if whole.ok {
        session.start_search();
        let n = session.finish_pngs();
        if n > 0 {
            crate::diag::say(format!("{n} PNGs redrawn"));
        }
    }
}

/// Tell open tabs what a rebuild did: reload when it wrote a file, or to drop the error
/// overlay of a failed build (a save that changed nothing, such as a second event of one
/// save or a `touch`, leaves them alone); show the errors of a failed one. Returns whether
/// the tabs now show an error overlay.
fn announce(
    live: &fleetdoc_serve::LiveReload,
    r: &Rebuild,
    shown_failure: bool,
    problems: &[String],
    verbose: bool,
) -> bool {
    if !r.ok {
        let mut lines = r.diagnostics.clone();
        lines.extend(problems.iter().cloned());
        live.failed(lines);
        return true;
    }
    if r.written > 0 || shown_failure {
        let at = Instant::now();
        live.reloaded();
        if verbose {
            crate::diag::print_line(&format!(
                "  {:<8} {:>8.3} ms",
                "notify",
                at.elapsed().as_secs_f64() * 1000.0
            ));
        }
    }
    if !problems.is_empty() {
        live.failed(problems.to_vec());
        return true;
    }
    false
}

pub fn print_rebuild(r: &Rebuild, first: bool) {
    for line in &r.diagnostics {
        crate::diag::print_line(line);
    }
    let what = if first { "built" } else { "rebuilt" };
    if r.ok {
        crate::diag::say(format!(
            "{what} in {:.1} ms: {} outputs rendered, {} reused, {} files written",
            r.elapsed.as_secs_f64() * 1000.0,
            r.stats.rendered.len(),
            r.stats.reused,
            r.written
        ));
    } else {
        crate::diag::say("build failed; still serving the last good site");
    }
}

/// Watch, rebuild and notify until the process is stopped.
pub fn run(root: &Path, bind: std::net::IpAddr, port: u16, verbose: bool) -> i32 {
    let mut session = Session::new(root, None);
    session.verbose = verbose;
    let live = fleetdoc_serve::LiveReload::new();
    let first = session.rebuild();
    print_rebuild(&first, true);
    session.finish_search();
    session.finish_pngs();
    if !first.ok {
        live.failed(first.diagnostics.clone());
        std::fs::create_dir_all(&session.out_dir).ok();
    }
    let cfg = fleetdoc_serve::Config {
        root: session.out_dir.clone(),
        bind,
        port,
        live: Some(live.clone()),
    };
    let server = match fleetdoc_serve::start(cfg) {
        Ok(s) => s,
        Err(e) => {
            return crate::diag::failure(e);
        }
    };
    crate::diag::say(format!(
        "serving {} at http://{}/ (live reload on; Ctrl-C stops)",
        session.out_dir.display(),
        server.local_addr()
    ));
    let (tx, rx) = mpsc::channel();
    let mut watcher =
        match notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = res {
                if changes_content(&ev.kind) {
                    let _ = tx.send(Change {
                        complete: write_complete(&ev.kind),
                        rescan: ev.need_rescan(),
                        structural: structural(&ev.kind),
                        paths: ev.paths,
                    });
                }
            } else {
                // An error from the watcher (events lost): look at every file next time.
                let _ = tx.send(Change {
                    complete: true,
                    rescan: true,
                    structural: false,
                    paths: Vec::new(),
                });
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                return crate::diag::failure(format!("cannot watch files: {e}"));
            }
        };
    let mut arms = arms::Arms::default();
    let mut problems = arms
        .sync(&mut watcher, &session.watched(), &HashSet::new())
        .problems;
    for line in &problems {
        crate::diag::print_line(line);
    }
    if !problems.is_empty() {
        live.failed(problems.clone());
    }
    // Files changed between the first build and the watches being set named no event: the
    // first rebuild looks at every file, later ones trust the events.
    let mut trust_events = false;
    let mut shown_failure = !first.ok || !problems.is_empty();
    // After a one-page edit the whole rebuild is due, with the paths changed since the last
    // one (`None`: look at every file); it waits while file events are queued.
    let mut whole_due: Option<Option<HashSet<PathBuf>>> = None;
    let mut last_event = Instant::now();
    loop {
        let first = match rx.try_recv() {
            Ok(c) => c,
            Err(mpsc::TryRecvError::Disconnected) => break,
            Err(mpsc::TryRecvError::Empty) => {
                if let Some(changed) = whole_due.take() {
                    // After a short quiet time; a save meanwhile is built first.
                    match rx.recv_timeout(WHOLE_AFTER.saturating_sub(last_event.elapsed())) {
                        Ok(c) => {
                            whole_due = Some(changed);
                            c
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            whole_after_edit(
                                &mut session,
                                &live,
                                changed,
                                &problems,
                                &mut shown_failure,
                                verbose,
                            );
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                } else if session.searching() {
                    // The search index is being made: look in on it between events.
                    match rx.recv_timeout(Duration::from_millis(5)) {
                        Ok(c) => c,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            session.poll_search();
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                } else {
                    match rx.recv() {
                        Ok(c) => c,
                        Err(_) => break,
                    }
                }
            }
        };
        let settle_from = Instant::now();
        last_event = settle_from;
        let mut burst = Burst::default();
        burst.add(first, &session);
        // Fold the rest of the burst (editors write temp files, rename, touch): whatever is
        // queued already, then a very short wait once an input is complete, a longer one
        // while a write may still be under way.
        loop {
            while let Ok(more) = rx.try_recv() {
                burst.add(more, &session);
            }
            match rx.recv_timeout(if burst.settled { SETTLE } else { DEBOUNCE }) {
                Ok(more) => burst.add(more, &session),
                Err(_) => break,
            }
        }
        // A watched folder replaced or re-created: watch the one there now, and look at
        // every file, since what was copied in before the watch was set named no event.
        let synced = arms.sync(&mut watcher, &session.watched(), &burst.moved);
        if synced.changed {
            trust_events = false;
        }
        for line in synced.problems.iter().filter(|l| !problems.contains(l)) {
            crate::diag::print_line(line);
        }
        problems = synced.problems;
        if !burst.relevant && !synced.changed {
            continue;
        }
        let changed = if trust_events { burst.changed } else { None };
        trust_events = true;
        if verbose {
            crate::diag::print_line(&format!(
                "  {:<8} {:>8.1} ms",
                "settle",
                settle_from.elapsed().as_secs_f64() * 1000.0
            ));
        }
        // A save of pages' text alone is built from the last model (`page_edit.rs`); the
        // whole rebuild follows once the browser has the page and no event is waiting.
        let fast = changed.as_ref().and_then(|c| session.page_edit(c));
        let r = match fast {
            Some(r) => {
                whole_due = Some(match (whole_due.take(), changed) {
                    (Some(Some(mut before)), Some(now)) => {
                        before.extend(now);
                        Some(before)
                    }
                    (None, now) => now,
                    _ => None,
                });
                r
            }
            None => {
                // The whole rebuild, now: it also covers earlier one-page edits.
                whole_due = None;
                session.rebuild_changed(changed)
            }
        };
        shown_failure = announce(&live, &r, shown_failure, &problems, verbose);
        print_rebuild(&r, false);
        if r.ok && whole_due.is_none() {
            session.start_search();
            let n = session.finish_pngs();
            if n > 0 {
                crate::diag::say(format!("{n} PNGs redrawn"));
            }
        }
    }
    server.shutdown();
    0
}
