export default function LaunchWizard() {
  return (
    <div className="page">
      <h1>LaunchWizard</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
