"""Building the programs that scripts/bench and scripts/eval/run measure, with CMake.

Each program is built on its own, so that one that does not build does not keep
the others from being measured; the build output goes to a log file.
"""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASELINE_TARGETS = {'ngram': 'xinwen-baseline-ngram', 'fts5': 'xinwen-baseline-fts5'}
XINWEN_PROGRAMS = {'indexer': ('indexer', 'xinwen-index'), 'searcher': ('searcher', 'xinwen-search')}


def rel(path):
    """A path as shown in reports: relative to the repository root."""
    return os.path.relpath(path, ROOT)


class Builder:
    """Builds the programs the run needs with CMake, writing the output to a log file."""

    def __init__(self, build_dir, log_path, enabled, note=print):
        self.build_dir = build_dir
        self.log_path = log_path
        self.enabled = enabled
        self.note = note
        self.configured = None
        self.baseline_dir = None   # the build folder the baseline programs came from

    def _run(self, argv):
        with open(self.log_path, 'a') as log:
            log.write('$ ' + ' '.join(argv) + '\n')
            log.flush()
            try:
                return subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT).returncode == 0
            except OSError as e:
                log.write(f'cannot run {argv[0]}: {e.strerror}\n')
                return False

    def configure(self):
        if self.configured is None:
            if os.path.exists(os.path.join(self.build_dir, 'CMakeCache.txt')):
                self.configured = True
            else:
                self.note(f'configuring {rel(self.build_dir)} (Release) ...')
                self.configured = self._run(['cmake', '-S', ROOT, '-B', self.build_dir,
                                             '-DCMAKE_BUILD_TYPE=Release'])
        return self.configured

    def build(self, targets, build_dir=None):
        return self._run(['cmake', '--build', build_dir or self.build_dir, '-j', str(os.cpu_count() or 2),
                          '--target'] + list(targets))

    def baselines(self, families):
        """Paths of the baseline programs, building them if needed; raises RuntimeError."""
        targets = [BASELINE_TARGETS[f] for f in families if f in BASELINE_TARGETS]
        if not targets:
            return {}
        in_tree = os.path.join(self.build_dir, 'scripts', 'baselines')
        standalone = os.path.join(self.build_dir, 'bench-baselines')
        if self.enabled:
            if self.configure() and self.build(targets):
                self.baseline_dir = self.build_dir
                return {t: os.path.join(in_tree, t) for t in targets}
            self.note('the project build failed; building the baselines on their own '
                 f'(see {rel(self.log_path)})')
            ok = self._run(['cmake', '-S', os.path.join(ROOT, 'scripts', 'baselines'), '-B', standalone,
                            '-DCMAKE_BUILD_TYPE=Release']) and self.build(targets, standalone)
            if not ok:
                raise RuntimeError(f'could not build {", ".join(targets)}; see {rel(self.log_path)}')
            self.baseline_dir = standalone
            return {t: os.path.join(standalone, t) for t in targets}
        for build_dir, folder in ((self.build_dir, in_tree), (standalone, standalone)):
            if all(os.access(os.path.join(folder, t), os.X_OK) for t in targets):
                self.baseline_dir = build_dir
                return {t: os.path.join(folder, t) for t in targets}
        raise RuntimeError(f'{", ".join(targets)} not built (and --no-build was given)')

    def xinwen(self):
        """{role: path or None} for xinwen's indexer and searcher, building each on its own
        so that one that does not build yet does not keep the other from being measured;
        and the problems met, as sentences."""
        found, problems = {}, []
        for role, (folder, name) in XINWEN_PROGRAMS.items():
            path = os.path.join(self.build_dir, folder, name)
            built = not self.enabled or (self.configure() and self.build([name]))
            present = os.access(path, os.X_OK)
            if not built and present:
                problems.append(f'building {name} failed (see {rel(self.log_path)}); '
                                f'measured the {name} built earlier')
            elif not present:
                why = f'could not be built (see {rel(self.log_path)})' if self.enabled else 'is not built'
                problems.append(f'{rel(path)} {why}')
            found[role] = path if present else None
        return found, problems


def cmake_build_type(build_dir):
    try:
        with open(os.path.join(build_dir, 'CMakeCache.txt')) as f:
            for line in f:
                if line.startswith('CMAKE_BUILD_TYPE:'):
                    return line.split('=', 1)[1].strip()
    except OSError:
        pass
    return None
