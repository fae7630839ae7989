import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

const VARIANT: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg hover:brightness-110 border-transparent",
  secondary: "bg-surface text-fg border-line hover:bg-surface-2",
  danger: "bg-red-600 text-white border-transparent hover:bg-red-700",
  ghost: "bg-transparent text-fg border-transparent hover:bg-surface-2",
};

/** Buttons are at least 40 px tall so they are easy to tap. */
export function buttonClass(variant: ButtonVariant = "secondary", extra = "") {
  return `inline-flex min-h-10 items-center justify-center gap-2 rounded-md border px-3.5 text-sm font-medium transition disabled:cursor-not-allowed disabled:opacity-50 ${VARIANT[variant]} ${extra}`;
}

export function Button({ variant = "secondary", className = "", type = "button", ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button type={type} className={buttonClass(variant, className)} {...rest} />;
}
