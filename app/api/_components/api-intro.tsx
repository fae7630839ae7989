"use client";
import { useOrigin } from "@/lib/client/use-origin";
import { OPENAPI_URL } from "@/lib/client/use-openapi-document";
import { CopyButton } from "@/components/copy-button";
import { buttonClass } from "@/components/button";
import { SERVER_VARIABLE, TOKEN_VARIABLE } from "./curl-example";
import { InlineText } from "./inline-text";

const code = "rounded bg-surface-2 px-1 py-px font-mono text-[0.9em] break-words";

/** Where the API is, how to authenticate, what an error looks like, and the document itself. */
export function ApiIntro({ basePath, auth, errorCodes }: { basePath: string; auth?: string; errorCodes: string[] }) {
  const origin = useOrigin();
  const setup = `export ${SERVER_VARIABLE}=${origin}\nexport ${TOKEN_VARIABLE}=sb_…   # your API token`;
  return (
    <section aria-labelledby="api-intro-title" data-testid="api-intro" className="mb-6 grid gap-4 rounded-lg border border-line bg-surface p-3 sm:p-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="min-w-0 space-y-3 text-sm">
        <h2 id="api-intro-title" className="text-sm font-semibold">
          Calling the API
        </h2>
        <p>
          <span className="font-medium">Base URL</span> <code className={code} data-testid="api-base-url">{`${origin}${basePath}`}</code>: JSON in, JSON out.
        </p>
        <p>
          <span className="font-medium">Every call</span> sends <code className={code}>Authorization: Bearer &lt;token&gt;</code>.{" "}
          {auth ? <InlineText text={auth} /> : null}
        </p>
        <p id="errors" className="scroll-mt-20">
          <span className="font-medium">A refused call</span> answers 4xx (or 5xx) with <code className={code}>{`{"error": {"code", "message"}}`}</code>: <code className={code}>message</code> is one sentence
          that names the field or the reason, and <code className={code}>code</code> is stable, to branch on
          {errorCodes.length > 0 ? (
            <>
              {/* The list is long for a phone; the schema trees name the codes too. */}
              <span className="hidden sm:inline">
                {" "}
                (<span className="font-mono text-xs break-words">{errorCodes.join(", ")}</span>)
              </span>
            </>
          ) : null}
          . A 429 says when to retry in <code className={code}>Retry-After</code>.
        </p>
      </div>
      <div className="min-w-0 space-y-3">
        <div>
          <div className="mb-1.5 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-muted">Set these once for the examples:</p>
            <CopyButton text={setup} testId="copy-api-setup" />
          </div>
          <pre tabIndex={0} aria-label="Shell setup for the examples" className="overflow-x-auto rounded-md border border-line bg-surface-2 px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre">
            {setup}
          </pre>
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <a href={OPENAPI_URL} download="switchboard-openapi.json" className={buttonClass("secondary")} data-testid="download-openapi">
            Download openapi.json
          </a>
          <span className="text-xs text-muted">OpenAPI 3.1: generate a client in any language.</span>
        </div>
      </div>
    </section>
  );
}
