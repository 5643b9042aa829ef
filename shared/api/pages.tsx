/**
 * Server-rendered pages (hono JSX). Every page works without JavaScript on a weak phone connection
 * (plain forms that post to the server); one small script (web/client.ts) improves them where it
 * is there: the upload list with thumbnails, reorder, retake and progress; image zoom; inline
 * corrections through the JSON API with the version check. Everything is served by the app itself
 * (no CDN). Vietnamese by default, English with ?lang=en (remembered in a cookie).
 */
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { Child } from "hono/jsx";
import * as z from "zod";
import { RoleSchema, withinSubtree, type Principal } from "../auth/auth.ts";
import { BienbanError, InvalidInputError } from "../errors.ts";
import { log } from "../log.ts";
import type { Flag, Meeting } from "../meeting/schema.ts";
import { CORRECTABLE_FIELDS, correctMeeting, markReviewed, PreconditionFailedError } from "../meetings/correct.ts";
import { MonthSchema, OrgIdSchema, type AuditEntry, type MeetingRecord, type Org } from "../store/records.ts";
import type { AppDeps, Env } from "./app.ts";
import { CODE_LABEL, FIELD_LABEL, KIND_LABEL, MESSAGES, UPLOAD_CODE_LABEL, type Lang, type Messages } from "./i18n.ts";
import { ASSETS, mountAssets } from "./web/assets.ts";

/** The words the script needs, sent with the page (no second request, no build step). */
const CLIENT_KEYS = [
  "pageN", "moveUp", "moveDown", "retake", "remove", "uploading", "uploaded", "reading", "uploadFailed", "noPagesYet",
  "saved", "conflict", "generating", "reportMissing", "reportUnavailable",
  "preparing", "pageWaiting", "pageSending", "pageDone", "pageRetrying", "pageRefusedShort", "pageRefused", "pageFailed",
  "unsupportedType", "readingRetry", "readingSlow", "readFailed",
] as const satisfies readonly (keyof Messages)[];

type Section = "upload" | "flagged" | "reports" | "login" | "meeting" | "error";

function langOf(c: Context): Lang {
  const q = c.req.query("lang");
  if (q === "vi" || q === "en") {
    setCookie(c, "lang", q, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "Lax" });
    return q;
  }
  return getCookie(c, "lang") === "en" ? "en" : "vi";
}

/** The same page in the other language (the query kept, so filters survive the switch). */
function switchHref(c: Context, lang: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.set("lang", lang === "vi" ? "en" : "vi");
  url.searchParams.delete("cursor");
  return `${url.pathname}?${url.searchParams.toString()}`;
}

function Layout(props: { c: Context; lang: Lang; title: string; section: Section; children: Child; who?: { principal: Principal; home: Org } }) {
  const t = MESSAGES[props.lang];
  const words = { ...Object.fromEntries(CLIENT_KEYS.map((k) => [k, t[k]])), codes: UPLOAD_CODE_LABEL[props.lang] };
  const i18n = JSON.stringify(words).replace(/</g, "\\u003c");
  const nav: [Section, string, string][] = [
    ["upload", "/", t.navUpload],
    ["flagged", "/flagged", t.navFlagged],
    ["reports", "/reports", t.navReports],
  ];
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · bienban`}</title>
        <link rel="stylesheet" href={ASSETS.css.path} />
        <script type="application/json" id="bb-i18n" dangerouslySetInnerHTML={{ __html: i18n }} />
        <script src={ASSETS.js.path} defer />
      </head>
      <body>
        <a class="skip" href="#main">{t.skip}</a>
        <header class="top">
          <a class="brand" href="/">
            bienban<span class="tagline">{` — ${t.appTagline}`}</span>
          </a>
          <nav aria-label="bienban">
            <ul>
              {props.who
                ? nav.filter(([s]) => s !== "reports" || props.who?.principal.role !== "secretary").map(([s, href, label]) => (
                    <li>
                      <a href={href} aria-current={s === props.section ? "page" : undefined}>
                        {label}
                      </a>
                    </li>
                  ))
                : null}
              <li>
                <a href={switchHref(props.c, props.lang)} lang={props.lang === "vi" ? "en" : "vi"}>
                  {t.switchLang}
                </a>
              </li>
              {props.who ? (
                <li>
                  <a href="/logout">{t.logout}</a>
                </li>
              ) : null}
            </ul>
          </nav>
          {props.who ? <div class="who">{`${t.signedInAs}: ${props.who.principal.sub} · ${props.who.home.name}`}</div> : null}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}

function flagMessage(f: Flag, lang: Lang): string {
  return lang === "en" && f.messageEn ? f.messageEn : f.message;
}

function FlagList(props: { flags: Flag[]; lang: Lang; withBasis?: boolean }) {
  const t = MESSAGES[props.lang];
  if (props.flags.length === 0) return <p class="ok">{t.noFlags}</p>;
  const sev = { error: props.lang === "en" ? "error" : "lỗi", warning: props.lang === "en" ? "warning" : "lưu ý" } as const;
  return (
    <ul class="flags">
      {props.flags.map((f) => (
        <li class={`flag-${f.severity}`} data-code={f.code}>
          <span class="sev">{sev[f.severity]}</span> {flagMessage(f, props.lang)} <span class="code">{f.code}</span>
          {props.withBasis ? <div class="basis">{`${t.basis}: ${f.basis}`}</div> : null}
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
  if (typeof v === "object") return JSON.stringify(v).slice(0, 160);
  return String(v);
}

function indent(o: Org): string {
  return `${"— ".repeat(o.path.split("/").length - 1)}${o.name}`;
}

// ---- inline corrections ----------------------------------------------------------------------
type FieldType = "text" | "int" | "date" | "time" | "bool" | "kind";
type Editable = (typeof CORRECTABLE_FIELDS)[number];

/** The scalar fields a person corrects in a row of the table (lists are shown, not edited here). */
const EDITABLE: Partial<Record<Editable, FieldType>> = {
  partyCommittee: "text",
  cellName: "text",
  kind: "kind",
  meetingDate: "date",
  startTime: "time",
  endTime: "time",
  durationMinutes: "int",
  location: "text",
  chair: "text",
  secretary: "text",
  "attendance.total": "int",
  "attendance.exempt": "int",
  "attendance.present": "int",
  "attendance.absentExcused": "int",
  "attendance.absentUnexcused": "int",
  minutesApproved: "bool",
  "signatures.chair": "bool",
  "signatures.secretary": "bool",
};
const EDITABLE_FIELDS = Object.keys(EDITABLE).filter((f): f is Editable => (CORRECTABLE_FIELDS as readonly string[]).includes(f));

function valueAt(m: Meeting, path: string): unknown {
  let cur: unknown = m;
  for (const part of path.split(".")) cur = cur !== null && typeof cur === "object" && part in cur ? Reflect.get(cur, part) : undefined;
  return cur;
}

/** A form value as the field's type: the same conversion the script does before PATCH. */
function formValue(type: FieldType, raw: string): unknown {
  const v = raw.trim();
  if (v === "") return null;
  if (type === "int") return z.coerce.number().int().min(0).parse(v);
  if (type === "bool") return v === "true";
  return v;
}

function ValueInput(props: { id: string; type: FieldType; value: unknown; lang: Lang }) {
  const t = MESSAGES[props.lang];
  const v = props.value;
  const str = v === null || v === undefined ? "" : String(v);
  if (props.type === "bool") {
    return (
      <select id={props.id} name="value">
        <option value="" selected={v === null}>{t.unknown}</option>
        <option value="true" selected={v === true}>{t.yes}</option>
        <option value="false" selected={v === false}>{t.no}</option>
      </select>
    );
  }
  if (props.type === "kind") {
    return (
      <select id={props.id} name="value">
        <option value="" selected={v === null}>{t.notStated}</option>
        {Object.entries(KIND_LABEL[props.lang]).map(([k, label]) => (
          <option value={k} selected={v === k}>{label}</option>
        ))}
      </select>
    );
  }
  if (props.type === "int") return <input id={props.id} name="value" type="number" inputmode="numeric" min={0} step={1} value={str} />;
  if (props.type === "date") return <input id={props.id} name="value" type="date" value={str} />;
  if (props.type === "time") return <input id={props.id} name="value" type="time" value={str} />;
  return <input id={props.id} name="value" type="text" maxlength={300} value={str} />;
}

function auditLabel(a: AuditEntry, t: Messages): string {
  const byAction: Record<AuditEntry["action"], string> = {
    extracted: t.actionExtracted,
    corrected: t.actionCorrected,
    confirmed: t.actionConfirmed,
    claimed: t.actionClaimed,
    reviewed: t.actionReviewed,
    recomputed: t.actionRecomputed,
  };
  return byAction[a.action];
}

/** The part of the meeting page that a correction changes; the script swaps it after a save. */
function Detail(props: { record: MeetingRecord; audit: AuditEntry[]; lang: Lang; canEdit: boolean }) {
  const { record, lang } = props;
  const t = MESSAGES[lang];
  const { meeting, flags, confidence, review } = record.document;
  const inReview = new Set(review.fields);
  const labels = FIELD_LABEL[lang];
  const rows: string[] = [...EDITABLE_FIELDS];
  return (
    <>
      <h2 id="flags-h">{`${t.flags} (${flags.length})`}</h2>
      <FlagList flags={flags} lang={lang} withBasis />
      {review.needed ? (
        <div class="notice">
          <strong>{t.reviewFields}:</strong> {review.fields.map((f) => labels[f] ?? f).join(", ")}
          <div class="hint">{t.reviewHint}</div>
          {props.canEdit ? (
            <form method="post" action={`/meetings/${record.id}/reviewed`}>
              <input type="hidden" name="version" value={String(record.version)} />
              <button type="submit" class="secondary small">{t.markReviewed}</button>
            </form>
          ) : null}
        </div>
      ) : null}
      <h2 id="fields-h">{t.fields}</h2>
      <table class="fields" aria-labelledby="fields-h">
        <thead>
          <tr>
            <th scope="col">{t.field}</th>
            <th scope="col">{t.value}</th>
            <th scope="col">{t.confidence}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((field) => {
            const value = valueAt(meeting, field);
            const type = EDITABLE[field as Editable];
            const review = inReview.has(field);
            const conf = confidence[field];
            const slug = field.replace(/\./g, "-");
            const shown = field === "kind" && typeof value === "string" ? (KIND_LABEL[lang][value] ?? value) : value === null && review ? t.unknown : show(value, t);
            return (
              <tr class={review ? "review" : undefined} data-field={field}>
                <th scope="row">{labels[field] ?? field}</th>
                <td class="value">
                  <span class="v">{shown}</span>
                  {props.canEdit && type ? (
                    <details>
                      <summary>
                        {t.edit}
                        <span class="vh">{`: ${labels[field] ?? field}`}</span>
                      </summary>
                      <form class="correct" method="post" action={`/meetings/${record.id}/correct`} data-field={field} data-type={type}>
                        <input type="hidden" name="field" value={field} />
                        <input type="hidden" name="version" value={String(record.version)} />
                        <label for={`v-${slug}`}>{`${t.newValue} — ${labels[field] ?? field}`}</label>
                        <ValueInput id={`v-${slug}`} type={type} value={value} lang={lang} />
                        <label for={`r-${slug}`}>{t.reason}</label>
                        <input id={`r-${slug}`} name="reason" type="text" maxlength={1000} />
                        <p>
                          <button type="submit" class="small">{t.save}</button>
                        </p>
                        <p role="alert" class="flag-error"></p>
                      </form>
                    </details>
                  ) : null}
                </td>
                <td class={`conf${review ? " low" : ""}`}>
                  {conf !== undefined ? `${Math.round(conf * 100)}%` : "—"}
                  {review ? <span class="vh">{` (${t.review})`}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{t.absentees}</h2>
      {meeting.attendance.absentees.length ? (
        <ul>
          {meeting.attendance.absentees.map((a) => (
            <li>{`${a.name} — ${a.excused === false ? t.unexcused : a.excused ? t.excused : t.unknown}${a.reason ? ` (${a.reason})` : ""}`}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t.notStated}</p>
      )}
      <h2>{t.opinionsList}</h2>
      {meeting.opinions.length ? (
        <ol>
          {meeting.opinions.map((o) => (
            <li>
              <strong>{o.speaker ?? t.unknown}</strong>
              {o.text ? `: ${o.text}` : ""}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">{t.notStated}</p>
      )}
      <h2>{t.votesList}</h2>
      {meeting.votes.length ? (
        <ul>
          {meeting.votes.map((v) => (
            <li>
              {v.subject ? <strong>{`${v.subject}: `}</strong> : null}
              {([[t.agree, v.agree], [t.disagree, v.disagree], [t.abstain, v.abstain]] as const)
                .filter(([, n]) => n !== null && n !== undefined)
                .map(([label, n]) => `${label} ${n}`)
                .join(", ") || t.notStated}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t.notStated}</p>
      )}
      <h2 id="audit-h">{t.audit}</h2>
      {props.audit.length === 0 ? (
        <p class="muted">{t.auditEmpty}</p>
      ) : (
        <table class="audit cards" aria-labelledby="audit-h">
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.who}</th>
              <th scope="col">{t.action}</th>
              <th scope="col">{t.change}</th>
              <th scope="col">{t.reason}</th>
            </tr>
          </thead>
          <tbody>
            {[...props.audit].reverse().map((a) => (
              <tr>
                <td data-label={t.when}>{`${a.at.slice(0, 16).replace("T", " ")} · v${a.version}`}</td>
                <td data-label={t.who}>{a.actor}</td>
                <td data-label={t.action}>{auditLabel(a, t)}</td>
                <td data-label={t.change}>{a.field ? `${labels[a.field] ?? a.field}: ${show(a.oldValue, t)} → ${show(a.newValue, t)}` : ""}</td>
                <td data-label={t.reason}>{a.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const COOKIE = { path: "/", httpOnly: true, sameSite: "Strict", maxAge: 12 * 3600 } as const;
const REMEMBER = { path: "/", maxAge: 365 * 24 * 3600, sameSite: "Lax" } as const;

export function pageRoutes(deps: AppDeps): Hono<Env> {
  const r = new Hono<Env>();
  // the stylesheet and script are public and cached for a year under hashed names
  mountAssets(r);
  // forms post with cookies: refuse cross-site posts
  r.use(csrf());

  // ---- sign-in: development tokens on the local stack ----------------------------------------
  r.get("/login", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    if (!deps.devTokens) {
      return c.html(
        <Layout c={c} lang={lang} title={t.login} section="login">
          <h1>{t.login}</h1>
          <p>{t.loginCognito}</p>
        </Layout>,
      );
    }
    const orgs = await deps.store.listSubtree(null);
    return c.html(
      <Layout c={c} lang={lang} title={t.login} section="login">
        <h1>{t.login}</h1>
        <p class="notice">{t.loginDev}</p>
        <form method="post" action="/login" class="card">
          <label for="name">{t.userName}</label>
          <input id="name" name="name" required maxlength={100} value="nguoi-dung" autocomplete="username" />
          <label for="role">{t.role}</label>
          <select id="role" name="role">
            <option value="secretary">{t.roleSecretary}</option>
            <option value="inspector">{t.roleInspector}</option>
            <option value="admin">{t.roleAdmin}</option>
          </select>
          <label for="org">{t.org}</label>
          <select id="org" name="org">
            {orgs.map((o) => (
              <option value={o.id}>{indent(o)}</option>
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

  /**
   * How this deployment receives pages, from what it was given rather than guessed: with an OCR
   * engine the app reads uploads itself (one multipart POST, which the no-JS form also uses);
   * with only a signer (AWS) the browser PUTs each page to S3 with a presigned URL and then asks
   * GET /api/uploads/:id until the ingest function has read them.
   */
  const uploadMode: "inline" | "direct" = !deps.engine && deps.signer ? "direct" : "inline";

  const who = (c: Context<Env>) => ({ principal: c.get("principal"), home: c.get("home") });
  const canEdit = (c: Context<Env>) => ["admin", "inspector"].includes(c.get("principal").role);
  const subtreeOf = async (c: Context<Env>): Promise<Org[]> => {
    const home = c.get("home");
    return home.kind === "committee" ? [home, ...(await deps.store.listSubtree(home.id))] : [home];
  };
  const visibleMeeting = async (c: Context<Env>): Promise<MeetingRecord | null> => {
    const id = z.string().uuid().safeParse(c.req.param("id"));
    const found = id.success ? await deps.store.getMeeting(id.data) : null;
    return found && withinSubtree(c.get("home"), found.orgPath) ? found : null;
  };

  function errorPage(c: Context, lang: Lang, err: unknown) {
    const t = MESSAGES[lang];
    const known = err instanceof BienbanError;
    if (!known) log("error", "page.unhandled", { path: c.req.path, error: err instanceof Error ? err.name : "unknown" });
    const msg = known ? (lang === "en" ? err.messageEn : err.messageVi) : lang === "en" ? "Internal error." : "Lỗi hệ thống.";
    const principal = c.get("principal") as Principal | undefined;
    const home = c.get("home") as Org | undefined;
    return c.html(
      <Layout c={c} lang={lang} title={t.errorTitle} section="error" who={principal && home ? { principal, home } : undefined}>
        <h1>{t.errorTitle}</h1>
        <p role="alert" class="notice bad">{msg}</p>
        <p>
          <a href="/">{t.back}</a>
        </p>
      </Layout>,
      known ? (err.status as 400) : 500,
    );
  }

  // ---- upload ----------------------------------------------------------------------------------
  r.get("/", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    const cells = (await subtreeOf(c)).filter((o) => o.kind === "cell");
    const rememberedCell = getCookie(c, "cell");
    const month = MonthSchema.safeParse(getCookie(c, "month")).data ?? currentMonth();
    return c.html(
      <Layout c={c} lang={lang} title={t.uploadTitle} section="upload" who={who(c)}>
        <h1>{t.uploadTitle}</h1>
        <p>{t.uploadHelp}</p>
        <form id="upload-form" method="post" action="/upload" enctype="multipart/form-data" data-upload-mode={uploadMode}>
          <div class="row">
            <div>
              <label for="cellId">{t.cell}</label>
              <select id="cellId" name="cellId" required>
                {cells.map((cell) => (
                  <option value={cell.id} selected={cell.id === rememberedCell}>
                    {cell.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="month">{t.month}</label>
              <input id="month" name="month" type="month" value={month} required pattern="[0-9]{4}-[0-9]{2}" placeholder="2026-05" aria-describedby="month-hint" />
            </div>
          </div>
          <p id="month-hint" class="hint">{t.monthHelp}</p>
          <h2>{t.pages}</h2>
          {uploadMode === "direct" ? (
            <p class="nojs notice bad" role="alert">
              {t.needsJsDirect}
            </p>
          ) : null}
          <div class={uploadMode === "direct" ? "pick nojs-hidden" : "pick"}>
            <div>
              <label for="camera">{t.takePhoto}</label>
              <input id="camera" name="pages" type="file" accept="image/*" capture="environment" />
            </div>
            <div>
              <label for="picker">{t.chooseFiles}</label>
              <input id="picker" name="pages" type="file" accept="image/*" multiple />
            </div>
          </div>
          <div class="nojs-hidden">
            <h2 id="pages-h">{t.pagesChosen}</h2>
            <p id="no-pages" class="muted">{t.noPagesYet}</p>
            <ol id="page-list" class="pages-list" aria-labelledby="pages-h"></ol>
            <label for="retake" class="vh">{t.retake}</label>
            <input id="retake" class="vh" type="file" accept="image/*" capture="environment" tabindex={-1} />
          </div>
          <p id="upload-status" role="status" aria-live="polite" tabindex={-1} hidden></p>
          <p class={uploadMode === "direct" ? "nojs-hidden" : undefined}>
            <button type="submit">{t.send}</button>
          </p>
          {uploadMode === "inline" ? <p class="nojs hint">{t.needsJs}</p> : null}
        </form>
      </Layout>,
    );
  });

  r.post("/upload", async (c) => {
    const lang = langOf(c);
    try {
      const form = await c.req.formData();
      const cellId = OrgIdSchema.safeParse(form.get("cellId"));
      const month = MonthSchema.safeParse(form.get("month")).data;
      const files = form.getAll("pages").flatMap((f) => (typeof f === "string" || f.size === 0 ? [] : [f]));
      if (!cellId.success || files.length === 0) {
        throw new BienbanError("MISSING_FIELD", 400, "Hãy chọn chi bộ và ít nhất một ảnh trang.", "Choose a cell and at least one page photo.");
      }
      const pages = await Promise.all(files.map(async (f) => ({ bytes: Buffer.from(await f.arrayBuffer()) })));
      const cell = await deps.store.getOrg(cellId.data);
      if (!cell || !withinSubtree(c.get("home"), cell.path)) throw new BienbanError("NOT_FOUND", 404, "Không tìm thấy chi bộ.", "Party cell not found.");
      // on AWS the pages go straight to S3 (POST /api/uploads) and this app reads none itself
      if (!deps.engine) throw new BienbanError("NOT_AVAILABLE", 501, "Máy chủ này nhận ảnh qua tải thẳng lên kho lưu trữ.", "This server takes pages through direct uploads.");
      // loaded on first use, as in the API: a deployment without inline ingest never loads the OCR pipeline
      const { ingestMeeting } = await import("../meetings/ingest.ts");
      const { ocrExtractor } = await import("../extraction/extractor.ts");
      const { record, created } = await ingestMeeting({ ...deps, extractor: ocrExtractor(deps.engine) }, { cellId: cellId.data, pages, actor: c.get("principal").sub });
      setCookie(c, "cell", cellId.data, REMEMBER);
      if (month) setCookie(c, "month", month, REMEMBER);
      const q = new URLSearchParams();
      if (!created) q.set("duplicate", "1");
      if (month) q.set("uploadMonth", month);
      return c.redirect(`/meetings/${record.id}${q.size ? `?${q.toString()}` : ""}`, 303);
    } catch (err) {
      return errorPage(c, lang, err);
    }
  });

  // ---- inspector's dashboard -------------------------------------------------------------------
  r.get("/flagged", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    try {
      const orgs = await subtreeOf(c);
      const q = c.req.query();
      const org = orgs.find((o) => o.id === q.org) ?? c.get("home");
      const cells = orgs.filter((o) => o.kind === "cell" && withinSubtree(org, o.path));
      const cell = cells.find((o) => o.id === q.cell);
      const scope = cell ?? org;
      const month = MonthSchema.safeParse(q.month).data ?? currentMonth();
      const code = z.string().regex(/^[A-Z_]{3,64}$/).safeParse(q.code).data;
      const review = q.review === "true" ? true : q.review === "false" ? false : undefined;
      const cursor = z.string().max(4000).safeParse(q.cursor).data || undefined;
      const [page, counts] = await Promise.all([
        deps.store.listMeetingSummaries({ orgPath: scope.path, month, flaggedOnly: true, code, needsReview: review, cursor, limit: 20 }),
        deps.store.countFlagCodes(scope.path, month),
      ]);
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      const base = { org: org.id, month, ...(cell ? { cell: cell.id } : {}), ...(review !== undefined ? { review: String(review) } : {}) };
      const href = (extra: Record<string, string | undefined>) => {
        const p = new URLSearchParams();
        for (const [k, v] of Object.entries({ ...base, ...extra })) if (v) p.set(k, v);
        return `/flagged?${p.toString()}`;
      };
      const codes = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const labels = CODE_LABEL[lang];
      return c.html(
        <Layout c={c} lang={lang} title={t.flaggedTitle} section="flagged" who={who(c)}>
          <h1>{t.flaggedTitle}</h1>
          <form method="get" action="/flagged" class="card" aria-label={t.filters}>
            <div class="row">
              <div>
                <label for="org">{t.org}</label>
                <select id="org" name="org">
                  {orgs.filter((o) => o.kind === "committee" || orgs.length === 1).map((o) => (
                    <option value={o.id} selected={o.id === org.id}>{indent(o)}</option>
                  ))}
                </select>
              </div>
              <div>
                <label for="cell">{t.cell}</label>
                <select id="cell" name="cell">
                  <option value="">{t.allCells}</option>
                  {cells.map((o) => (
                    <option value={o.id} selected={o.id === cell?.id}>{o.name}</option>
                  ))}
                </select>
              </div>
              <div>
                <label for="month">{t.month}</label>
                <input id="month" name="month" type="month" value={month} />
              </div>
              <div>
                <label for="code">{t.code}</label>
                <select id="code" name="code">
                  <option value="">{t.allCodes}</option>
                  {[...new Set([...Object.keys(labels), ...Object.keys(counts)])].map((k) => (
                    <option value={k} selected={k === code}>{`${labels[k] ?? k}${counts[k] ? ` (${counts[k]})` : ""}`}</option>
                  ))}
                </select>
              </div>
              <div>
                <label for="review">{t.reviewFilter}</label>
                <select id="review" name="review">
                  <option value="">{t.any}</option>
                  <option value="true" selected={review === true}>{t.onlyReview}</option>
                  <option value="false" selected={review === false}>{t.noReview}</option>
                </select>
              </div>
              <div class="shrink">
                <button type="submit">{t.show}</button>
              </div>
            </div>
          </form>
          <h2 id="counts-h">{t.countsTitle}</h2>
          {codes.length ? (
            <ul class="counts" aria-labelledby="counts-h">
              <li>
                <a href={href({ code: undefined })} aria-current={code ? undefined : "true"}>{t.allCodes}</a>
              </li>
              {codes.map(([k, n]) => (
                <li>
                  <a href={href({ code: k })} aria-current={k === code ? "true" : undefined} data-code={k}>
                    {`${labels[k] ?? k}: `}
                    <strong>{String(n)}</strong>
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t.none}</p>
          )}
          <h2 id="results-h">{`${page.items.length}${page.cursor ? "+" : ""} ${t.results}`}</h2>
          {page.items.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <table class="cards" aria-labelledby="results-h">
              <thead>
                <tr>
                  <th scope="col">{t.cell}</th>
                  <th scope="col">{t.date}</th>
                  <th scope="col">{t.kind}</th>
                  <th scope="col">{t.flags}</th>
                  <th scope="col">{t.open}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((m) => (
                  <tr data-meeting={m.id}>
                    <td data-label={t.cell}>{names.get(m.cellId) ?? m.cellId}</td>
                    <td data-label={t.date}>{m.document.meeting.meetingDate ?? t.notStated}</td>
                    <td data-label={t.kind}>{m.document.meeting.kind ? KIND_LABEL[lang][m.document.meeting.kind] : t.notStated}</td>
                    <td>
                      {m.document.flags.map((f) => (
                        <span class={`badge ${f.severity}`} title={flagMessage(f, lang)}>{labels[f.code] ?? f.code}</span>
                      ))}
                      {m.document.review.needed ? <span class="badge review">{t.review}</span> : null}
                    </td>
                    <td>
                      <a class="open" href={`/meetings/${m.id}`}>
                        {t.open}
                        <span class="vh">{` ${names.get(m.cellId) ?? ""} ${m.document.meeting.meetingDate ?? ""}`}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="pager">
            {cursor ? <a href={href({ code })}>{t.prev}</a> : null}
            {page.cursor ? <a href={href({ code, cursor: page.cursor })} rel="next">{t.more}</a> : null}
          </p>
        </Layout>,
      );
    } catch (err) {
      return errorPage(c, lang, err);
    }
  });

  // ---- one meeting -----------------------------------------------------------------------------
  r.get("/meetings/:id", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    const record = await visibleMeeting(c);
    if (!record) return errorPage(c, lang, new BienbanError("NOT_FOUND", 404, "Không tìm thấy biên bản.", "Meeting not found."));
    const audit = await deps.store.listAudit(record.id);
    const { meeting } = record.document;
    const cell = await deps.store.getOrg(record.cellId);
    const uploadMonth = MonthSchema.safeParse(c.req.query("uploadMonth")).data;
    const readMonth = meeting.meetingDate?.slice(0, 7);
    return c.html(
      <Layout c={c} lang={lang} title={t.meetingTitle} section="meeting" who={who(c)}>
        <div id="meeting" data-id={record.id} data-version={String(record.version)}>
          <h1>{`${t.meetingTitle}: ${cell?.name ?? record.cellId} — ${meeting.meetingDate ?? t.notStated}`}</h1>
          {c.req.query("duplicate") ? <p class="notice">{t.duplicate}</p> : null}
          {uploadMonth && readMonth && uploadMonth !== readMonth ? <p class="notice">{`${t.monthMismatch} (${uploadMonth}).`}</p> : null}
          {c.req.query("saved") ? <p class="notice good">{t.saved}</p> : null}
          {c.req.query("conflict") ? <p class="notice bad" role="alert">{t.conflict}</p> : null}
          <p id="detail-status" role="status" aria-live="polite" tabindex={-1} hidden></p>
          <div class="split">
            <section id="detail" aria-labelledby="flags-h">
              <Detail record={record} audit={audit} lang={lang} canEdit={canEdit(c)} />
            </section>
            <section class="viewer" aria-labelledby="pages-h">
              <h2 id="pages-h">{`${t.pagesTitle} (${record.pages.length} ${t.pagesCount})`}</h2>
              <div class="zoom nojs-hidden" role="group" aria-label={t.zoomIn}>
                <button type="button" class="secondary small" data-zoom="out">{`− ${t.zoomOut}`}</button>
                <button type="button" class="secondary small" data-zoom="fit">{t.zoomFit}</button>
                <button type="button" class="secondary small" data-zoom="in">{`+ ${t.zoomIn}`}</button>
                <span data-zoom-level aria-live="polite">100%</span>
              </div>
              {record.pages.map((p) => (
                <figure>
                  <div class="frame">
                    <img src={`/api/meetings/${record.id}/pages/${p.n}`} alt={`${t.pagesTitle} ${p.n}`} loading={p.n === 1 ? undefined : "lazy"} />
                  </div>
                  <figcaption>
                    <a href={`/api/meetings/${record.id}/pages/${p.n}`} target="_blank" rel="noopener">{`${t.openFull} ${p.n}`}</a>
                  </figcaption>
                </figure>
              ))}
            </section>
          </div>
        </div>
      </Layout>,
    );
  });

  // the form fallback of the inline correction (the script PATCHes /api/meetings/:id instead)
  r.post("/meetings/:id/correct", async (c) => {
    const lang = langOf(c);
    try {
      if (!canEdit(c)) throw new BienbanError("FORBIDDEN", 403, "Bạn không có quyền sửa biên bản.", "You may not correct minutes.");
      const record = await visibleMeeting(c);
      if (!record) throw new BienbanError("NOT_FOUND", 404, "Không tìm thấy biên bản.", "Meeting not found.");
      const form = await c.req.formData();
      const field = z.enum(CORRECTABLE_FIELDS).safeParse(form.get("field")).data;
      const type = field ? EDITABLE[field] : undefined;
      const version = z.coerce.number().int().min(1).safeParse(form.get("version")).data;
      if (!field || !type || !version) throw new InvalidInputError("INVALID_INPUT", "Dữ liệu sửa không hợp lệ.", "Invalid correction.");
      const parsed = z.string().max(1000).safeParse(form.get("value") ?? "");
      let value: unknown;
      try {
        value = formValue(type, parsed.data ?? "");
      } catch {
        throw new InvalidInputError("INVALID_CORRECTION", "Giá trị sửa không hợp lệ.", "Invalid corrected value.");
      }
      const reason = z.string().trim().max(1000).safeParse(form.get("reason") ?? "").data || undefined;
      const canSee = (m: MeetingRecord) => withinSubtree(c.get("home"), m.orgPath);
      await correctMeeting(deps, { id: record.id, expectedVersion: version, correction: { changes: [{ field, value }], reason }, actor: c.get("principal").sub, canSee });
      return c.redirect(`/meetings/${record.id}?saved=1`, 303);
    } catch (err) {
      if (err instanceof PreconditionFailedError) return c.redirect(`/meetings/${c.req.param("id")}?conflict=1`, 303);
      return errorPage(c, lang, err);
    }
  });

  r.post("/meetings/:id/reviewed", async (c) => {
    const lang = langOf(c);
    try {
      if (!canEdit(c)) throw new BienbanError("FORBIDDEN", 403, "Bạn không có quyền xác nhận biên bản.", "You may not confirm minutes.");
      const record = await visibleMeeting(c);
      if (!record) throw new BienbanError("NOT_FOUND", 404, "Không tìm thấy biên bản.", "Meeting not found.");
      const version = z.coerce.number().int().min(1).safeParse((await c.req.formData()).get("version")).data;
      if (!version) throw new InvalidInputError("INVALID_INPUT", "Thiếu phiên bản.", "Missing version.");
      const canSee = (m: MeetingRecord) => withinSubtree(c.get("home"), m.orgPath);
      await markReviewed(deps, { id: record.id, expectedVersion: version, actor: c.get("principal").sub, canSee });
      return c.redirect(`/meetings/${record.id}?saved=1`, 303);
    } catch (err) {
      if (err instanceof PreconditionFailedError) return c.redirect(`/meetings/${c.req.param("id")}?conflict=1`, 303);
      return errorPage(c, lang, err);
    }
  });

  // ---- reports: the stored report of an organisation and month (shared/reports builds it) ------
  r.get("/reports", async (c) => {
    const lang = langOf(c);
    const t = MESSAGES[lang];
    const orgs = await subtreeOf(c);
    const org = orgs.find((o) => o.id === c.req.query("org")) ?? c.get("home");
    const month = MonthSchema.safeParse(c.req.query("month")).data;
    const chosen = month ? `/api/orgs/${org.id}/reports/${month}` : null;
    return c.html(
      <Layout c={c} lang={lang} title={t.reportsTitle} section="reports" who={who(c)}>
        <h1>{t.reportsTitle}</h1>
        <p>{t.reportsHelp}</p>
        <form method="get" action="/reports" class="card">
          <div class="row">
            <div>
              <label for="org">{t.org}</label>
              <select id="org" name="org">
                {orgs.map((o) => (
                  <option value={o.id} selected={o.id === org.id}>{indent(o)}</option>
                ))}
              </select>
            </div>
            <div>
              <label for="month">{t.month}</label>
              <input id="month" name="month" type="month" value={month ?? currentMonth()} required />
            </div>
            <div class="shrink">
              <button type="submit">{t.show}</button>
            </div>
          </div>
        </form>
        {chosen && month ? (
          <section id="report" data-html={`${chosen}.html`} data-build={`/api/orgs/${org.id}/reports?month=${month}`} aria-labelledby="report-h">
            <h2 id="report-h">{`${org.name} — ${month}`}</h2>
            <p id="report-status" role="status" aria-live="polite" hidden></p>
            <p class="row downloads">
              <a class="button secondary shrink" href={`${chosen}.csv`} download={`bao-cao-${org.id}-${month}.csv`}>{t.downloadCsv}</a>
              <a class="button secondary shrink" href={`${chosen}.pdf`} download={`bao-cao-${org.id}-${month}.pdf`}>{t.downloadPdf}</a>
              <a class="shrink" href={`${chosen}.html`} target="_blank" rel="noopener">{t.openHtml}</a>
            </p>
            <p>
              <button type="button" id="build-report" class="secondary" hidden>{t.generate}</button>
            </p>
            <iframe class="report" title={`${t.reportFrame} ${org.name} ${month}`} src={`${chosen}.html`} sandbox="allow-same-origin"></iframe>
          </section>
        ) : null}
      </Layout>,
    );
  });

  return r;
}
