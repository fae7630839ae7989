"use client";
import { useState, type ReactNode } from "react";
import { Button, type ButtonVariant } from "./button";

/**
 * A button that asks once more before acting, inline rather than with window.confirm (which
 * blocks the page and that browser automation dismisses by default). The confirming button's
 * test id is `<testId>-confirm`.
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel,
  onConfirm,
  variant = "secondary",
  testId,
  disabled,
  pending,
}: {
  children: ReactNode;
  question: ReactNode;
  confirmLabel: ReactNode;
  onConfirm: () => void;
  variant?: ButtonVariant;
  testId?: string;
  disabled?: boolean;
  pending?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant={variant === "danger" ? "secondary" : variant} data-testid={testId} disabled={disabled || pending} onClick={() => setAsking(true)}>
        {pending ? "Working…" : children}
      </Button>
    );
  }
  return (
    <div role="group" className="flex flex-wrap items-center gap-2 rounded-md border border-line bg-surface-2 px-2 py-1">
      <span className="text-sm">{question}</span>
      <Button
        variant={variant}
        data-testid={testId ? `${testId}-confirm` : undefined}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="ghost" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </div>
  );
}
