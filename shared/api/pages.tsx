/**
 * Server-rendered pages (hono JSX): work without JavaScript on a weak phone connection, and
 * everything is served by the app itself (no CDN).
 */
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { RoleSchema, withinSubtree, type Principal } from "../auth/auth.ts";
import type { Child } from "hono/jsx";
import { BienbanError } from "../errors.ts";
import { log } from "../log.ts";
import type { Flag } from "../meeting/schema.ts";
import { ingestMeeting } from "../meetings/ingest.ts";
import { MonthSchema, OrgIdSchema, type MeetingRecord, type Org } from "../store/records.ts";
import type { AppDeps, Env } from "./app.ts";
import { FIELD_LABEL, KIND_LABEL, MESSAGES, type Lang, type Messages } from "./i18n.ts";

const CSS = `
:root{--fg:#1a1a1a;--muted:#555;--bg:#fafaf7;--line:#d8d8d0;--err:#a40000;--warn:#8a5a00;--ok:#1d6b2f;--accent:#9b1c1c}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff}header .brand{font-weight:700;margin-right:auto}
main{max-width:70rem;margin:0 auto;padding:1rem}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}
select,input,button{font:inherit;padding:.5rem;max-width:100%}
button{background:var(--accent);color:#fff;border:0;border-radius:.3rem;padding:.6rem 1.2rem;cursor:pointer}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.4rem;text-align:left;vertical-align:top}
.flag-error{color:var(--err)}.flag-warning{color:var(--warn)}.ok{color:var(--ok)}.muted{color:var(--muted)}
.review{background:#fff4cc}
.pages img{max-width:100%;border:1px solid var(--line);margin:.3rem 0}
.grid{display:grid;gap:1rem;grid-template-columns:1fr}@media(min-width:60rem){.grid{grid-template-columns:1fr 1fr}}
.notice{padding:.6rem;border-left:4px solid var(--warn);background:#fff}
`;

function langOf(c: Context): Lang {
  const q = c.req.query("lang");
  if (q === "vi" || q === "en") {
    setCookie(c, "lang", q, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "Lax" });
    return q;
  }
  return getCookie(c, "lang") === "en" ? "en" : "vi";
}

function Layout(props: { lang: Lang; title: string; children: Child; who?: Principal }) {
  const t = MESSAGES[props.lang];
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · bienban`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header>
          <span class="brand">{t.appName}</span>
          <nav>
            <a href="/">{t.navUpload}</a> · <a href="/flagged">{t.navFlagged}</a> ·{" "}
            <a href={`?lang=${props.lang === "vi" ? "en" : "vi"}`}>{t.switchLang}</a>
            {props.who ? (
              <>
                {" · "}
                <span>{`${props.who.sub} (${props.who.role}, ${props.who.orgId})`}</span> · <a href="/logout">{t.logout}</a>
              </>
            ) : null}
          </nav>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

function FlagList(props: { flags: Flag[]; lang: Lang; t: Messages; withBasis?: boolean }) {
  if (props.flags.length === 0) return <p class="ok">{props.t.noFlags}</p>;
  return (
    <ul>
      {props.flags.map((f) => (
        <li class={`flag-${f.severity}`}>
          <strong>{f.code}</strong>: {props.lang === "en" && f.messageEn ? f.messageEn : f.message}
          {props.withBasis ? <div class="muted">{`${props.t.basis}: ${f.basis}`}</div> : null}
        </li>
      ))}
    </ul>
  );
}

function currentMonth(): string {
  // Meetings are dated in Vietnam's time zone.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit" }).format(new Date()).slice(0, 7);
}

function show(v: unknown, t: Messages): string {
  if (v === null || v === undefined) return t.notStated;
  if (typeof v === "boolean") return v ? t.yes : t.no;
  return String(v);
}

const COOKIE = { path: "/", httpOnly: true, sameSite: "Strict", maxAge: 12 * 3600 } as const;

export function pageRoutes(deps: AppDeps): Hono<Env> {
  const r = new Hono<Env>();
  // forms post with cookies: refuse cross-site posts
  r.use(csrf());

  // ---- sign-in: development tokens on the local stack ----------------------------------------
  r.get("/login", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    if (!deps.devTokens) {
      return c.html(
        <Layout lang={lang} title={t.login}>
          <h1>{t.login}</h1>
          <p>{t.loginCognito}</p>
        </Layout>,
      );
    }
    const orgs = await deps.store.listSubtree(null);
    return c.html(
      <Layout lang={lang} title={t.login}>
        <h1>{t.login}</h1>
        <p class="muted">{t.loginDev}</p>
        <form method="post" action="/login">
          <label for="name">{t.userName}</label>
          <input id="name" name="name" required maxlength={100} value="nguoi-dung" />
          <label for="role">{t.role}</label>
          <select id="role" name="role">
            <option value="admin">{t.roleAdmin}</option>
            <option value="inspector">{t.roleInspector}</option>
            <option value="secretary">{t.roleSecretary}</option>
          </select>
          <label for="org">{t.org}</label>
          <select id="org" name="org">
            {orgs.map((o) => (
              <option value={o.id}>{`${"— ".repeat(o.path.split("/").length - 1)}${o.name}`}</option>
            ))}
          </select>
          <p>
            <button type="submit">{t.login}</button>
          </p>
        </form>
      </Layout>,
    );
  });

  r.post("/login", async (c) => {
    const lang = langOf(c);
    if (!deps.devTokens) return c.redirect("/login", 303);
    const form = await c.req.formData();
    const role = RoleSchema.safeParse(form.get("role"));
    const org = OrgIdSchema.safeParse(form.get("org"));
    const name = String(form.get("name") ?? "").trim().slice(0, 100);
    if (!role.success || !org.success || !name || !(await deps.store.getOrg(org.data))) {
      return errorPage(c, lang, new BienbanError("INVALID_INPUT", 400, "Thông tin đăng nhập không hợp lệ.", "Invalid sign-in details."));
    }
    setCookie(c, "token", await deps.devTokens.issue({ sub: name, role: role.data, orgId: org.data }), COOKIE);
    return c.redirect(role.data === "secretary" ? "/" : "/flagged", 303);
  });

  r.get("/logout", (c) => {
    deleteCookie(c, "token", { path: "/" });
    return c.redirect("/login", 303);
  });

  // ---- every other page needs a principal ------------------------------------------------------
  r.use("*", async (c, next) => {
    const principal = await deps.auth.authenticate(getCookie(c, "token"));
    const home = principal ? await deps.store.getOrg(principal.orgId) : null;
    if (!principal || !home) return c.redirect("/login", 303);
    c.set("principal", principal);
    c.set("home", home);
    await next();
  });

  const subtreeOf = async (c: Context<Env>): Promise<Org[]> => {
    const home = c.get("home");
    return home.kind === "committee" ? [home, ...(await deps.store.listSubtree(home.id))] : [home];
  };
  const cellsOf = async (c: Context<Env>): Promise<Org[]> => (await subtreeOf(c)).filter((o) => o.kind === "cell");

  function errorPage(c: Context, lang: Lang, err: unknown) {
    const t = MESSAGES[lang];
    const known = err instanceof BienbanError;
    if (!known) log("error", "page.unhandled", { path: c.req.path, error: err instanceof Error ? err.name : "unknown" });
    const msg = known ? (lang === "en" ? err.messageEn : err.messageVi) : lang === "en" ? "Internal error." : "Lỗi hệ thống.";
    return c.html(
      <Layout lang={lang} title={t.errorTitle}>
        <h1>{t.errorTitle}</h1>
        <p role="alert" class="flag-error">{msg}</p>
        <p><a href="/">{t.back}</a></p>
      </Layout>,
      known ? (err.status as 400) : 500,
    );
  }

  r.get("/", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    const cells = await cellsOf(c);
    const remembered = getCookie(c, "cell");
    return c.html(
      <Layout lang={lang} title={t.uploadTitle} who={c.get("principal")}>
        <h1>{t.uploadTitle}</h1>
        <p>{t.uploadHelp}</p>
        <form method="post" action="/upload" enctype="multipart/form-data">
          <label for="cellId">{t.cell}</label>
          <select id="cellId" name="cellId" required>
            {cells.map((cell) => (
              <option value={cell.id} selected={cell.id === remembered}>
                {cell.name}
              </option>
            ))}
          </select>
          <label for="pages">{t.pages}</label>
          <input id="pages" name="pages" type="file" accept="image/*" multiple required />
          <p>
            <button type="submit">{t.send}</button>
          </p>
          <p class="muted">{t.sending}</p>
        </form>
      </Layout>,
    );
  });

  r.post("/upload", async (c) => {
    const lang = langOf(c);
    try {
      const form = await c.req.formData();
      const cellId = OrgIdSchema.safeParse(form.get("cellId"));
      const files = form.getAll("pages").flatMap((f) => (typeof f === "string" || f.size === 0 ? [] : [f]));
      if (!cellId.success || files.length === 0) {
        throw new BienbanError("MISSING_FIELD", 400, "Hãy chọn chi bộ và ít nhất một ảnh trang.", "Choose a cell and at least one page photo.");
      }
      const pages = await Promise.all(files.map(async (f) => ({ bytes: Buffer.from(await f.arrayBuffer()) })));
      const cell = await deps.store.getOrg(cellId.data);
      if (!cell || !withinSubtree(c.get("home"), cell.path)) throw new BienbanError("NOT_FOUND", 404, "Không tìm thấy chi bộ.", "Party cell not found.");
      const { record, created } = await ingestMeeting(deps, { cellId: cellId.data, pages, actor: c.get("principal").sub });
      setCookie(c, "cell", cellId.data, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "Lax" });
      return c.redirect(`/meetings/${record.id}${created ? "" : "?duplicate=1"}`, 303);
    } catch (err) {
      return errorPage(c, lang, err);
    }
  });

  r.get("/flagged", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    try {
      const orgs = await subtreeOf(c);
      const orgId = OrgIdSchema.safeParse(c.req.query("org")).data;
      const month = MonthSchema.safeParse(c.req.query("month")).data ?? currentMonth();
      const org = orgs.find((o) => o.id === orgId) ?? c.get("home");
      const cursor = c.req.query("cursor");
      const page = org
        ? await deps.store.listMeetings({ orgPath: org.path, month, flaggedOnly: true, cursor: cursor || undefined, limit: 50 })
        : { items: [] as MeetingRecord[], cursor: null };
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      return c.html(
        <Layout lang={lang} title={t.flaggedTitle} who={c.get("principal")}>
          <h1>{t.flaggedTitle}</h1>
          <form method="get" action="/flagged">
            <label for="org">{t.org}</label>
            <select id="org" name="org">
              {orgs.map((o) => (
                <option value={o.id} selected={o.id === org?.id}>
                  {`${"— ".repeat(o.path.split("/").length - 1)}${o.name}`}
                </option>
              ))}
            </select>
            <label for="month">{t.month}</label>
            <input id="month" name="month" type="month" value={month} />{" "}
            <button type="submit">{t.show}</button>
          </form>
          {page.items.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.cell}</th>
                  <th scope="col">{t.date}</th>
                  <th scope="col">{t.kind}</th>
                  <th scope="col">{t.flags}</th>
                  <th scope="col"></th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((m) => (
                  <tr>
                    <td>{names.get(m.cellId) ?? m.cellId}</td>
                    <td>{m.document.meeting.meetingDate ?? t.notStated}</td>
                    <td>{m.document.meeting.kind ? KIND_LABEL[lang][m.document.meeting.kind] : t.notStated}</td>
                    <td>
                      <FlagList flags={m.document.flags} lang={lang} t={t} />
                      {m.document.review.needed ? <span class="review">{t.review}</span> : null}
                    </td>
                    <td>
                      <a href={`/meetings/${m.id}`}>{t.open}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {page.cursor && org ? (
            <p>
              <a href={`/flagged?org=${org.id}&month=${month}&cursor=${encodeURIComponent(page.cursor)}`}>{t.more}</a>
            </p>
          ) : null}
        </Layout>,
      );
    } catch (err) {
      return errorPage(c, lang, err);
    }
  });

  r.get("/meetings/:id", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    const id = c.req.param("id");
    const found = /^[0-9a-f-]{36}$/.test(id) ? await deps.store.getMeeting(id) : null;
    const record = found && withinSubtree(c.get("home"), found.orgPath) ? found : null;
    if (!record) return errorPage(c, lang, new BienbanError("NOT_FOUND", 404, "Không tìm thấy biên bản.", "Meeting not found."));
    const { meeting, flags, confidence, review } = record.document;
    const rows: [string, unknown][] = [
      ["partyCommittee", meeting.partyCommittee],
      ["cellName", meeting.cellName],
      ["kind", meeting.kind ? KIND_LABEL[lang][meeting.kind] : null],
      ["meetingDate", meeting.meetingDate],
      ["startTime", meeting.startTime],
      ["endTime", meeting.endTime],
      ["durationMinutes", meeting.durationMinutes],
      ["location", meeting.location],
      ["chair", meeting.chair],
      ["secretary", meeting.secretary],
      ["attendance.total", meeting.attendance.total],
      ["attendance.exempt", meeting.attendance.exempt],
      ["attendance.present", meeting.attendance.present],
      ["attendance.absentExcused", meeting.attendance.absentExcused],
      ["attendance.absentUnexcused", meeting.attendance.absentUnexcused],
      ["opinions", meeting.opinions.length || null],
      ["votes", meeting.votes.map((v) => `${v.agree ?? "?"}/${v.disagree ?? "?"}/${v.abstain ?? "?"}`).join("; ") || null],
      ["minutesApproved", meeting.minutesApproved],
      ["signatures.chair", meeting.signatures.chair],
      ["signatures.secretary", meeting.signatures.secretary],
    ];
    const inReview = new Set(review.fields);
    return c.html(
      <Layout lang={lang} title={t.meetingTitle} who={c.get("principal")}>
        <h1>{`${t.meetingTitle} ${meeting.meetingDate ?? ""}`}</h1>
        {c.req.query("duplicate") ? <p class="notice">{t.duplicate}</p> : null}
        <div class="grid">
          <section>
            <h2>{t.flags}</h2>
            <FlagList flags={flags} lang={lang} t={t} withBasis />
            <h2>{t.fields}</h2>
            <table>
              <tbody>
                {rows.map(([field, value]) => (
                  <tr class={inReview.has(field) ? "review" : ""}>
                    <th scope="row">{FIELD_LABEL[lang][field] ?? field}</th>
                    <td>{value === null && inReview.has(field) ? t.unknown : show(value, t)}</td>
                    <td class="muted">{confidence[field] !== undefined ? `${Math.round((confidence[field] ?? 0) * 100)}%` : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="pages">
            <h2>{t.pagesTitle}</h2>
            {record.pages.map((p) => (
              <img src={`/api/meetings/${record.id}/pages/${p.n}`} alt={`${t.pagesTitle} ${p.n}`} loading="lazy" />
            ))}
          </section>
        </div>
      </Layout>,
    );
  });

  return r;
}
