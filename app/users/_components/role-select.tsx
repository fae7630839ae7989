import { ROLES, type Role } from "@/lib/policy";
import { inputClass } from "@/components/field";

export function RoleSelect({ value, onChange, disabled, label = "Role", testId }: { value: Role; onChange: (role: Role) => void; disabled?: boolean; label?: string; testId?: string }) {
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as Role)} className={inputClass} data-testid={testId}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
