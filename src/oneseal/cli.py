"""The `oneseal` console script: one entry point for operators, clerks and integrators.

Each subcommand is explained in Chinese and English by `oneseal --help`.
Subcommands that are Django management commands are listed in COMMANDS; `oneseal manage`
passes anything else straight to Django.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

SETTINGS = "oneseal.config.settings"


@dataclass(frozen=True)
class Sub:
    zh: str
    en: str
    command: str | None = None  # Django management command it maps to


COMMANDS: dict[str, Sub] = {
    "demo": Sub("迁移数据库、载入演示数据并启动整个系统（打印演示账号）",
                "migrate, load the demo data and serve the whole system (prints demo logins)"),
    "serve": Sub("以 WSGI 多进程方式启动服务（granian 或 gunicorn）",
                 "serve over WSGI with N worker processes (granian or gunicorn)"),
    "worker": Sub("运行后台任务处理进程（django-tasks 数据库队列）",
                  "run the background task worker (django-tasks, database queue)", "worker"),
    "manage": Sub("直接调用 Django 管理命令", "pass-through to Django's manage commands"),
    "token": Sub("创建、列出或吊销接口令牌", "create, list or revoke API bearer tokens", "token"),
    "otp-code": Sub("显示演示用户当前的动态口令（仅限演示）",
                    "print a demo user's current TOTP code (demo only)", "otp_code"),
    "verify-audit": Sub("重新计算审计链，发现篡改时以非零状态退出并指出第一条错误记录",
                        "re-compute the audit chain; exit non-zero naming the first bad row",
                        "verify_audit"),
    "load-demo": Sub("载入演示数据（可重复执行）", "load the demo data (idempotent)", "load_demo"),
    "deadline": Sub("按法定工作日计算办理期限（--explain 中文说明，--json 机器可读）",
                    "compute a due date in working days (--explain in Chinese, --json)",
                    "deadline"),
    "calendar": Sub("工作日历：列出、查看、导入或更正各年放假调休安排",
                    "working-day calendar: list, show, import or correct a year's holidays",
                    "calendar"),
    "catalog": Sub("导入或导出事项目录（Excel 或 JSON，带进度条）",
                   "import or export the item catalogue (Excel or JSON, with a progress bar)",
                   "catalog"),
    "recompute-clocks": Sub("工作日历更正后重新计算所有在办件的期限，列出期限有变化的办件",
                            "recompute the deadlines of every open case after a calendar "
                            "correction, listing the cases whose due dates changed",
                            "recompute_clocks"),
    "seal": Sub("电子印章：初始化（演示 CA）、列出印章", "seals: init (demo CA), list", "seal"),
    "licences": Sub("电子证照库：到期失效、延续提醒、按标识查询证照",
                    "licence library: expire, renewal reminders, look up by identifier",
                    "licences"),
    "archive": Sub("电子档案：为已办结办件归档，检测归档信息包（verify --all 或办件编号）",
                   "archives: build case packages, check their fixity (verify --all | case)",
                   "archive"),
    "backup": Sub("备份数据库和文件存储（附校验清单，--rotate 轮换）",
                  "back up the database and file stores with a manifest (--rotate)", "backup"),
    "restore": Sub("从备份恢复到新机器，并核验审计链和全部归档信息包",
                   "restore a backup on a fresh machine, then verify the audit chain and "
                   "every archival package", "restore"),
}


def _help() -> str:
    lines = [
        "用法 / usage: oneseal <子命令 command> [参数 args...]",
        "",
        "一颗印章管审批 — 行政审批局平台 / OneSeal — administrative approval bureau platform",
        "",
        "子命令 / commands:",
    ]
    width = max(len(n) for n in COMMANDS)
    for name, sub in COMMANDS.items():
        lines.append(f"  {name.ljust(width)}  {sub.zh}")
        lines.append(f"  {' ' * width}  {sub.en}")
    lines += ["", "每个子命令的详细参数 / details: oneseal <command> --help"]
    return "\n".join(lines)


def _require_settings() -> None:
    """Load the settings now; when they are missing (no SECRET_KEY, no demo settings file),
    one line in Chinese and English and exit status 2, never a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.SECRET_KEY  # noqa: B018 - reading it imports the settings module
    except ImproperlyConfigured as exc:
        from oneseal.config.local_env import env_file

        print(f"配置缺失 / settings missing: {exc} — 请先运行 make demo（会写入 {env_file()}），"
              "或按 docs/settings.md 设置环境变量 / run `make demo` first, or set the "
              "environment (docs/settings.md)", file=sys.stderr)
        raise SystemExit(2) from None


def _django(argv: list[str]) -> None:
    _require_settings()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["oneseal", *argv])


def _serve(argv: list[str]) -> None:
    _require_settings()
    cmd, with_worker = _serve_command(argv)
    if not with_worker:
        os.execvp(cmd[0], cmd)
    from oneseal.supervisor import Supervisor

    sys.exit(Supervisor(cmd, _worker_command()).run())


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "oneseal.cli", "worker", "--no-reload"]


def _serve_command(argv: list[str]) -> tuple[list[str], bool]:
    """The WSGI server's command line for `oneseal serve` (after collectstatic), and whether
    the background worker runs beside it (supervised, `oneseal.supervisor`)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="oneseal serve", description="以 WSGI 方式启动服务 / serve over WSGI"
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"),
                        help="监听地址 / bind address")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                        help="端口 / port")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")),
                        help="工作进程数 / worker processes")
    parser.add_argument("--server", choices=["granian", "gunicorn"],
                        default=os.environ.get("ONESEAL_SERVER", "granian"),
                        help="WSGI 服务器 / WSGI server")
    parser.add_argument("--no-collectstatic", action="store_true",
                        help="跳过静态文件收集 / skip collectstatic")
    parser.add_argument("--no-worker", dest="worker", action="store_false",
                        default=os.environ.get("ONESEAL_SERVE_WORKER", "1") != "0",
                        help="不在旁边运行后台任务进程（另行运行 oneseal worker）/ do not run "
                             "the background worker beside the server (run oneseal worker "
                             "yourself)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    default_public_url(args.host, args.port)
    if not args.no_collectstatic:
        _run_django(["collectstatic", "--noinput", "-v", "0"])
    bindir = os.path.dirname(sys.executable)
    if args.server == "granian":
        exe = shutil.which("granian", path=bindir) or shutil.which("granian") or "granian"
        # A worker process that dies is replaced (without the flag granian shuts down).
        cmd = [exe, "--interface", "wsgi", "--host", args.host, "--port", str(args.port),
               "--workers", str(args.workers), "--blocking-threads", "1",
               "--respawn-failed-workers", "--respawn-interval", "1",
               "--no-ws", "oneseal.config.wsgi:application"]
    else:
        exe = shutil.which("gunicorn", path=bindir) or shutil.which("gunicorn") or "gunicorn"
        cmd = [exe, "-w", str(args.workers), "-b", f"{args.host}:{args.port}",
               "--access-logfile", "-", "oneseal.config.wsgi:application"]
    return cmd, args.worker


def default_public_url(host: str, port: int | str) -> str:
    """ONESEAL_PUBLIC_URL, unless given: the address this server answers on, so that the QR
    codes and verify links printed into signed licences open (a signed PDF is never
    re-rendered). A wildcard bind address is shown as 127.0.0.1: behind a name or a proxy,
    set ONESEAL_PUBLIC_URL."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return os.environ.setdefault("ONESEAL_PUBLIC_URL", f"http://{shown}:{port}")


def _run_django(argv: list[str]) -> None:
    """Run one management command in a child process (keeps this process free of Django)."""
    subprocess.run([sys.executable, "-m", "oneseal.cli", "manage", *argv], check=True)


def _demo(argv: list[str]) -> None:
    from oneseal.config import local_env

    local_env.ensure_demo_file()  # a secret key of its own, 0600, for every later command
    local_env.load()
    os.environ.setdefault("ONESEAL_DEV", "1")
    port = os.environ.get("PORT", "8000")
    default_public_url("127.0.0.1", port)  # before load_demo signs the demo's licences
    _run_django(["migrate", "--noinput", "-v", "0"])
    _run_django(["load_demo"])
    from oneseal.config import settings as project

    log_path = project.DATA_DIR / "worker.log"
    print(f"\n演示系统已启动 / demo running: http://127.0.0.1:{port}/  (Ctrl-C 停止 / to stop)"
          f"\n后台签章进程日志 / signing worker log: {log_path}\n", flush=True)
    server, _with_worker = _serve_command(["--port", port, "--no-worker", *argv])
    # The background worker signs new decisions (django-tasks database queue); it lives
    # exactly as long as the server, is restarted when it dies, and writes its log to a file
    # so that the console keeps the logins and the server's own messages.
    from oneseal.supervisor import Supervisor

    with open(log_path, "a", encoding="utf-8") as log:
        code = Supervisor(server, _worker_command(), worker_log=log).run()
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_help())
        return
    name, rest = argv[0], argv[1:]
    if name != "demo":
        from oneseal.config import local_env

        local_env.load()  # the settings `oneseal demo` left in the data directory, if any
    if name == "demo":
        _demo(rest)
    elif name == "serve":
        _serve(rest)
    elif name == "manage":
        _django(rest)
    elif name in COMMANDS and COMMANDS[name].command:
        if name == "otp-code":
            # Works in a second terminal beside `make demo`; it prints only the demo's public
            # keys' codes whatever the settings (see otp_code.py).
            os.environ.setdefault("ONESEAL_DEV", "1")
        _django([COMMANDS[name].command or "", *rest])
    else:
        print(f"未知子命令 / unknown command: {name}\n", file=sys.stderr)
        print(_help(), file=sys.stderr)
        raise SystemExit(2)


if __name__ == "__main__":
    main()
