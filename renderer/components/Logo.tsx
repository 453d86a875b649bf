// The DevSpace Desktop mark: a cube (the container) in the accent colour; coloured from CSS.
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect className="logo-tile" x="0" y="0" width="32" height="32" rx="8" />
      <path className="logo-cube" d="M16 6.5 24.5 11v10L16 25.5 7.5 21V11Z M7.5 11 16 15.5 24.5 11 M16 15.5v10" />
    </svg>
  );
}
