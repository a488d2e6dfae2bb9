// A one-line error announced to screen readers.
export function ErrorLine({ message, className }: { message: string | null; className?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className={`error-line${className ? ` ${className}` : ''}`}>
      {message}
    </p>
  );
}
